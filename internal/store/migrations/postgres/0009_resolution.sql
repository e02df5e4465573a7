-- Resolution and closure (docs/followup.md): resolving a ticket records a summary (public: the
-- requester reads it) and a cause code (internal: the indicators count it) from an admin-edited
-- catalog; a severity can require that its resolved tickets are recorded in the knowledge base.

CREATE TABLE cause_codes (
    code     TEXT PRIMARY KEY,
    label_fr TEXT NOT NULL,
    label_en TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    active   BOOLEAN NOT NULL DEFAULT TRUE
);

INSERT INTO cause_codes (code, label_fr, label_en, position) VALUES
    ('defect', 'Anomalie logicielle', 'Software defect', 10),
    ('configuration', 'Paramétrage', 'Configuration', 20),
    ('infrastructure', 'Infrastructure / hébergement', 'Infrastructure / hosting', 30),
    ('data', 'Données', 'Data', 40),
    ('third_party', 'Tiers (éditeur, fournisseur)', 'Third party (vendor, supplier)', 50),
    ('change', 'Changement ou mise en production', 'Change or deployment', 60),
    ('usage', 'Question d''utilisation / erreur utilisateur', 'Usage question / user error', 70),
    ('duplicate', 'Doublon', 'Duplicate', 80),
    ('not_reproduced', 'Non reproduit', 'Not reproduced', 90);

ALTER TABLE tickets ADD COLUMN resolution_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN cause_code TEXT NOT NULL DEFAULT '';

-- kb_required: resolving a ticket of this severity needs a linked knowledge-base article (or a
-- draft created from the ticket). On by default for the most severe step of the scale.
ALTER TABLE severities ADD COLUMN kb_required BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE severities SET kb_required = TRUE WHERE rank = (SELECT MIN(rank) FROM severities);
