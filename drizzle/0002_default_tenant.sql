INSERT INTO tenants (id, name) VALUES ('default', 'Default') ON CONFLICT DO NOTHING;
