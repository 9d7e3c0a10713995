-- Paused job types, per instance: a pause lasts through restarts and reloads of the type's file.
CREATE TABLE paused_types (
    type        VARCHAR(64) NOT NULL,
    instance_id VARCHAR(64) NOT NULL,
    paused_by   VARCHAR(255) NOT NULL,
    paused_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (type, instance_id)
);
