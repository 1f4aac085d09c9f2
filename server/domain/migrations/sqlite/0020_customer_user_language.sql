-- The language a customer user signed up in (a tag: 'en' or 'es'): the e-mails and the pages
-- behind their links speak it.
ALTER TABLE customer_users ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
