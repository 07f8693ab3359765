-- Other names people search the seed services by (src/main/resources/catalog/seed.json carries the same).
insert into service_alias (service_id, alias)
select s.id, a.alias
from (values
    ('lcl', 'Crédit Lyonnais'),
    ('x', 'Twitter'),
    ('france-travail', 'Pôle emploi'),
    ('impots-gouv', 'Impôts'),
    ('sncf-connect', 'SNCF'),
    ('microsoft-365', 'Office 365')
) as a(slug, alias)
join service s on s.slug = a.slug;
