-- The catalog: categories, problem types and the services people can report on.
-- Data, not code: add services with a new migration.

insert into category (slug, name_en, name_fr, position) values
    ('postal',    'Postal & delivery',        'Courrier et livraison',    1),
    ('telecom',   'Telecom & internet',       'Télécoms et internet',     2),
    ('bank',      'Banks & payments',         'Banques et paiements',     3),
    ('transport', 'Transport & travel',       'Transports et voyages',    4),
    ('social',    'Social media',             'Réseaux sociaux',          5),
    ('messaging', 'Messaging',                'Messageries',              6),
    ('email',     'Email & productivity',     'E-mail et bureautique',    7),
    ('cloud',     'Cloud, hosting & CDN',     'Cloud, hébergement et CDN', 8),
    ('games',     'Games',                    'Jeux vidéo',               9),
    ('streaming', 'Streaming & music',        'Streaming et musique',    10),
    ('public',    'Public services',          'Services publics',        11);

insert into problem_type (slug, label_en, label_fr) values
    -- shared by most categories
    ('website',            'Website',                    'Site web'),
    ('login',              'Login',                      'Connexion au compte'),
    ('mobile-app',         'Mobile app',                 'Application mobile'),
    -- postal
    ('parcel-tracking',    'Parcel tracking',            'Suivi de colis'),
    ('delivery',           'Delivery',                   'Livraison'),
    ('registered-letter',  'Online registered letter',   'Lettre recommandée en ligne'),
    ('stamp-printing',     'Stamp printing',             'Impression de timbres'),
    -- telecom
    ('internet',           'Internet connection',        'Connexion internet'),
    ('mobile-network',     'Mobile network',             'Réseau mobile'),
    ('landline',           'Landline phone',             'Téléphone fixe'),
    ('tv',                 'TV',                         'Télévision'),
    -- bank
    ('online-banking',     'Online banking',             'Banque en ligne'),
    ('card-payments',      'Card payments',              'Paiements par carte'),
    ('transfers',          'Transfers',                  'Virements'),
    -- transport
    ('booking',            'Booking',                    'Réservation'),
    ('tickets',            'Tickets',                    'Billets'),
    ('traffic-info',       'Traffic information',        'Info trafic'),
    -- social
    ('feed',               'News feed',                  'Fil d''actualité'),
    ('posting',            'Posting',                    'Publication'),
    -- messaging
    ('sending-messages',   'Sending messages',           'Envoi de messages'),
    ('connection',         'Connection',                 'Connexion au service'),
    ('calls',              'Voice and video calls',      'Appels audio et vidéo'),
    ('notifications',      'Notifications',              'Notifications'),
    -- email
    ('receiving-email',    'Receiving email',            'Réception des e-mails'),
    ('sending-email',      'Sending email',              'Envoi des e-mails'),
    -- cloud
    ('api',                'API',                        'API'),
    ('console',            'Console',                    'Console'),
    ('hosting',            'Hosted sites and apps',      'Sites et applications hébergés'),
    -- games
    ('game-servers',       'Game servers',               'Serveurs de jeu'),
    ('matchmaking',        'Matchmaking',                'Recherche de partie'),
    ('store',              'Store',                      'Boutique'),
    -- streaming
    ('playback',           'Playback',                   'Lecture'),
    -- public
    ('online-procedures',  'Online procedures',          'Démarches en ligne'),
    ('payments',           'Payments',                   'Paiements');

insert into category_problem_type (category, problem_type_id, position)
select c.category, pt.id, c.position
from (values
    ('postal', 'parcel-tracking', 1), ('postal', 'delivery', 2), ('postal', 'website', 3),
    ('postal', 'login', 4), ('postal', 'mobile-app', 5),
    ('telecom', 'internet', 1), ('telecom', 'mobile-network', 2), ('telecom', 'landline', 3),
    ('telecom', 'tv', 4), ('telecom', 'website', 5), ('telecom', 'login', 6),
    ('bank', 'online-banking', 1), ('bank', 'mobile-app', 2), ('bank', 'card-payments', 3),
    ('bank', 'transfers', 4), ('bank', 'login', 5), ('bank', 'website', 6),
    ('transport', 'booking', 1), ('transport', 'tickets', 2), ('transport', 'traffic-info', 3),
    ('transport', 'mobile-app', 4), ('transport', 'website', 5), ('transport', 'login', 6),
    ('social', 'feed', 1), ('social', 'login', 2), ('social', 'posting', 3),
    ('social', 'mobile-app', 4), ('social', 'website', 5),
    ('messaging', 'sending-messages', 1), ('messaging', 'connection', 2), ('messaging', 'calls', 3),
    ('messaging', 'notifications', 4), ('messaging', 'mobile-app', 5),
    ('email', 'receiving-email', 1), ('email', 'sending-email', 2), ('email', 'login', 3),
    ('email', 'website', 4), ('email', 'mobile-app', 5),
    ('cloud', 'api', 1), ('cloud', 'console', 2), ('cloud', 'hosting', 3), ('cloud', 'login', 4),
    ('cloud', 'website', 5),
    ('games', 'game-servers', 1), ('games', 'login', 2), ('games', 'matchmaking', 3),
    ('games', 'store', 4), ('games', 'website', 5),
    ('streaming', 'playback', 1), ('streaming', 'login', 2), ('streaming', 'mobile-app', 3),
    ('streaming', 'website', 4),
    ('public', 'website', 1), ('public', 'login', 2), ('public', 'online-procedures', 3),
    ('public', 'payments', 4), ('public', 'mobile-app', 5)
) as c(category, slug, position)
join problem_type pt on pt.slug = c.slug;

insert into service (slug, name, category, country, website_url) values
    -- postal & delivery
    ('la-poste',            'La Poste',                   'postal',    'FR', 'https://www.laposte.fr'),
    ('colissimo',           'Colissimo',                  'postal',    'FR', 'https://www.colissimo.fr'),
    ('chronopost',          'Chronopost',                 'postal',    'FR', 'https://www.chronopost.fr'),
    ('mondial-relay',       'Mondial Relay',              'postal',    'FR', 'https://www.mondialrelay.fr'),
    ('dhl',                 'DHL',                        'postal',    null, 'https://www.dhl.com'),
    ('ups',                 'UPS',                        'postal',    null, 'https://www.ups.com'),
    -- telecom & internet
    ('orange',              'Orange',                     'telecom',   'FR', 'https://www.orange.fr'),
    ('sfr',                 'SFR',                        'telecom',   'FR', 'https://www.sfr.fr'),
    ('bouygues-telecom',    'Bouygues Telecom',           'telecom',   'FR', 'https://www.bouyguestelecom.fr'),
    ('free',                'Free',                       'telecom',   'FR', 'https://www.free.fr'),
    ('free-mobile',         'Free Mobile',                'telecom',   'FR', 'https://mobile.free.fr'),
    ('vodafone',            'Vodafone',                   'telecom',   null, 'https://www.vodafone.com'),
    ('verizon',             'Verizon',                    'telecom',   'US', 'https://www.verizon.com'),
    -- banks & payments
    ('bnp-paribas',         'BNP Paribas',                'bank',      'FR', 'https://mabanque.bnpparibas'),
    ('credit-agricole',     'Crédit Agricole',            'bank',      'FR', 'https://www.credit-agricole.fr'),
    ('societe-generale',    'Société Générale',           'bank',      'FR', 'https://particuliers.sg.fr'),
    ('caisse-d-epargne',    'Caisse d''Épargne',          'bank',      'FR', 'https://www.caisse-epargne.fr'),
    ('lcl',                 'LCL',                        'bank',      'FR', 'https://www.lcl.fr'),
    ('boursobank',          'BoursoBank',                 'bank',      'FR', 'https://www.boursobank.com'),
    ('paypal',              'PayPal',                     'bank',      null, 'https://www.paypal.com'),
    ('revolut',             'Revolut',                    'bank',      null, 'https://www.revolut.com'),
    -- transport & travel
    ('sncf-connect',        'SNCF Connect',               'transport', 'FR', 'https://www.sncf-connect.com'),
    ('ratp',                'RATP',                       'transport', 'FR', 'https://www.ratp.fr'),
    ('air-france',          'Air France',                 'transport', 'FR', 'https://www.airfrance.fr'),
    ('uber',                'Uber',                       'transport', null, 'https://www.uber.com'),
    -- social media
    ('facebook',            'Facebook',                   'social',    null, 'https://www.facebook.com'),
    ('instagram',           'Instagram',                  'social',    null, 'https://www.instagram.com'),
    ('x',                   'X (Twitter)',                'social',    null, 'https://x.com'),
    ('tiktok',              'TikTok',                     'social',    null, 'https://www.tiktok.com'),
    ('linkedin',            'LinkedIn',                   'social',    null, 'https://www.linkedin.com'),
    ('reddit',              'Reddit',                     'social',    null, 'https://www.reddit.com'),
    -- messaging
    ('whatsapp',            'WhatsApp',                   'messaging', null, 'https://www.whatsapp.com'),
    ('messenger',           'Messenger',                  'messaging', null, 'https://www.messenger.com'),
    ('discord',             'Discord',                    'messaging', null, 'https://discord.com'),
    ('telegram',            'Telegram',                   'messaging', null, 'https://telegram.org'),
    ('signal',              'Signal',                     'messaging', null, 'https://signal.org'),
    -- email & productivity
    ('gmail',               'Gmail',                      'email',     null, 'https://mail.google.com'),
    ('outlook',             'Outlook',                    'email',     null, 'https://outlook.com'),
    ('microsoft-365',       'Microsoft 365',              'email',     null, 'https://www.microsoft365.com'),
    -- cloud, hosting & CDN
    ('aws',                 'Amazon Web Services',        'cloud',     null, 'https://aws.amazon.com'),
    ('cloudflare',          'Cloudflare',                 'cloud',     null, 'https://www.cloudflare.com'),
    ('microsoft-azure',     'Microsoft Azure',            'cloud',     null, 'https://azure.microsoft.com'),
    ('google-cloud',        'Google Cloud',               'cloud',     null, 'https://cloud.google.com'),
    ('ovhcloud',            'OVHcloud',                   'cloud',     'FR', 'https://www.ovhcloud.com'),
    ('github',              'GitHub',                     'cloud',     null, 'https://github.com'),
    -- games
    ('steam',               'Steam',                      'games',     null, 'https://store.steampowered.com'),
    ('playstation-network', 'PlayStation Network',        'games',     null, 'https://www.playstation.com'),
    ('xbox-live',           'Xbox Live',                  'games',     null, 'https://www.xbox.com'),
    ('fortnite',            'Fortnite',                   'games',     null, 'https://www.fortnite.com'),
    ('league-of-legends',   'League of Legends',          'games',     null, 'https://www.leagueoflegends.com'),
    -- streaming & music
    ('netflix',             'Netflix',                    'streaming', null, 'https://www.netflix.com'),
    ('youtube',             'YouTube',                    'streaming', null, 'https://www.youtube.com'),
    ('spotify',             'Spotify',                    'streaming', null, 'https://www.spotify.com'),
    ('disney-plus',         'Disney+',                    'streaming', null, 'https://www.disneyplus.com'),
    ('canal-plus',          'Canal+',                     'streaming', 'FR', 'https://www.canalplus.com'),
    ('twitch',              'Twitch',                     'streaming', null, 'https://www.twitch.tv'),
    -- public services
    ('impots-gouv',         'impots.gouv.fr',             'public',    'FR', 'https://www.impots.gouv.fr'),
    ('ameli',               'Ameli (Assurance Maladie)',  'public',    'FR', 'https://www.ameli.fr'),
    ('caf',                 'CAF',                        'public',    'FR', 'https://www.caf.fr'),
    ('france-travail',      'France Travail',             'public',    'FR', 'https://www.francetravail.fr'),
    ('franceconnect',       'FranceConnect',              'public',    'FR', 'https://franceconnect.gouv.fr'),
    ('ants',                'ANTS',                       'public',    'FR', 'https://ants.gouv.fr');

-- Service-specific problem types, listed before the category's.
insert into service_problem_type (service_id, problem_type_id, position)
select s.id, pt.id, x.position
from (values
    -- what people reported at La Poste on 19 October 2023
    ('la-poste', 'parcel-tracking', 1), ('la-poste', 'registered-letter', 2),
    ('la-poste', 'stamp-printing', 3),
    ('colissimo', 'parcel-tracking', 1),
    ('sncf-connect', 'tickets', 1), ('sncf-connect', 'booking', 2),
    ('ratp', 'traffic-info', 1),
    ('uber', 'booking', 1), ('uber', 'card-payments', 2),
    ('paypal', 'card-payments', 1), ('paypal', 'transfers', 2),
    ('github', 'api', 1), ('github', 'website', 2),
    ('discord', 'connection', 1), ('discord', 'calls', 2),
    ('twitch', 'playback', 1), ('twitch', 'sending-messages', 2),
    ('youtube', 'playback', 1), ('youtube', 'posting', 2),
    ('impots-gouv', 'online-procedures', 1), ('impots-gouv', 'payments', 2),
    ('franceconnect', 'login', 1),
    ('microsoft-365', 'calls', 6)
) as x(service, slug, position)
join service s on s.slug = x.service
join problem_type pt on pt.slug = x.slug;
