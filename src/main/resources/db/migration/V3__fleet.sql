-- Fleet: the warren instances sharing this database, and the commands sent to them.
CREATE TABLE instances (
    id         VARCHAR(64) PRIMARY KEY,
    host       VARCHAR(255) NOT NULL,
    port       INTEGER NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL,
    state      VARCHAR(4000)                      -- JSON: each job type's workers and intake
);

CREATE TABLE commands (
    id        VARCHAR(36) PRIMARY KEY,
    target    VARCHAR(64) NOT NULL,               -- an instance id, or 'all'
    command   VARCHAR(16) NOT NULL,
    args      VARCHAR(2000) NOT NULL,
    issued_by VARCHAR(255) NOT NULL,
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- one row per instance the command is for: the seed's PENDING / EXECUTED / NOT_EXECUTED flag
CREATE TABLE command_targets (
    command_id  VARCHAR(36) NOT NULL REFERENCES commands (id) ON DELETE CASCADE,
    instance_id VARCHAR(64) NOT NULL,
    flag        VARCHAR(16) NOT NULL,
    reason      VARCHAR(1000),
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (command_id, instance_id)
);

CREATE INDEX command_targets_pending ON command_targets (instance_id, flag);
