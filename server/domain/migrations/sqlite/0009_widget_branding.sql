-- Widget settings: the reseller's primary colour (#rrggbb) and logo address, shown in the widget.
ALTER TABLE resellers ADD COLUMN brand_color TEXT;
ALTER TABLE resellers ADD COLUMN logo_url TEXT;
