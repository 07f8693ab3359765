-- The provider a service runs on or belongs to (a cloud, a CDN, a payment processor, an operator, a
-- parent company's shared infrastructure). When most of one provider's services start an incident
-- within the same minutes, the incident group names it as the likely common cause.
alter table service add column provider text check (provider is null or char_length(provider) between 1 and 100);

update service set provider = 'Meta' where slug in ('facebook', 'instagram', 'whatsapp', 'messenger');
update service set provider = 'Google' where slug in ('gmail', 'youtube', 'google-cloud');
update service set provider = 'Microsoft' where slug in ('outlook', 'microsoft-365', 'microsoft-azure', 'xbox-live', 'github', 'linkedin');
update service set provider = 'Amazon Web Services' where slug in ('aws', 'twitch', 'netflix');
update service set provider = 'Free (Iliad)' where slug in ('free', 'free-mobile');
update service set provider = 'FranceConnect' where slug in ('franceconnect', 'impots-gouv', 'ameli', 'ants');
