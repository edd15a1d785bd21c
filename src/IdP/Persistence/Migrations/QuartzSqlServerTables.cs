namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// The tables Quartz.NET 3.x's clustered ADO.NET job store expects on SQL Server (prefix <c>qrtz_</c>), with the
/// column sizes of Quartz's own SQL Server script (its key columns fit SQL Server's index key limit).
/// </summary>
internal static class QuartzSqlServerTables
{
    public const string Ddl = """
        CREATE TABLE qrtz_job_details (
            sched_name nvarchar(120) NOT NULL, job_name nvarchar(150) NOT NULL, job_group nvarchar(150) NOT NULL,
            description nvarchar(250) NULL, job_class_name nvarchar(250) NOT NULL, is_durable bit NOT NULL,
            is_nonconcurrent bit NOT NULL, is_update_data bit NOT NULL, requests_recovery bit NOT NULL,
            job_data varbinary(max) NULL,
            CONSTRAINT PK_qrtz_job_details PRIMARY KEY (sched_name, job_name, job_group));
        CREATE TABLE qrtz_triggers (
            sched_name nvarchar(120) NOT NULL, trigger_name nvarchar(150) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            job_name nvarchar(150) NOT NULL, job_group nvarchar(150) NOT NULL, description nvarchar(250) NULL,
            next_fire_time bigint NULL, prev_fire_time bigint NULL, priority int NULL,
            trigger_state nvarchar(16) NOT NULL, trigger_type nvarchar(8) NOT NULL, start_time bigint NOT NULL,
            end_time bigint NULL, calendar_name nvarchar(200) NULL, misfire_instr int NULL, job_data varbinary(max) NULL,
            CONSTRAINT PK_qrtz_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT FK_qrtz_triggers_qrtz_job_details FOREIGN KEY (sched_name, job_name, job_group)
                REFERENCES qrtz_job_details (sched_name, job_name, job_group));
        CREATE TABLE qrtz_simple_triggers (
            sched_name nvarchar(120) NOT NULL, trigger_name nvarchar(150) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            repeat_count int NOT NULL, repeat_interval bigint NOT NULL, times_triggered int NOT NULL,
            CONSTRAINT PK_qrtz_simple_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT FK_qrtz_simple_triggers_qrtz_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
        CREATE TABLE qrtz_simprop_triggers (
            sched_name nvarchar(120) NOT NULL, trigger_name nvarchar(150) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            str_prop_1 nvarchar(512) NULL, str_prop_2 nvarchar(512) NULL, str_prop_3 nvarchar(512) NULL,
            int_prop_1 int NULL, int_prop_2 int NULL, long_prop_1 bigint NULL, long_prop_2 bigint NULL,
            dec_prop_1 numeric(13,4) NULL, dec_prop_2 numeric(13,4) NULL, bool_prop_1 bit NULL, bool_prop_2 bit NULL,
            time_zone_id nvarchar(80) NULL,
            CONSTRAINT PK_qrtz_simprop_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT FK_qrtz_simprop_triggers_qrtz_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
        CREATE TABLE qrtz_cron_triggers (
            sched_name nvarchar(120) NOT NULL, trigger_name nvarchar(150) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            cron_expression nvarchar(120) NOT NULL, time_zone_id nvarchar(80) NULL,
            CONSTRAINT PK_qrtz_cron_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT FK_qrtz_cron_triggers_qrtz_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
        CREATE TABLE qrtz_blob_triggers (
            sched_name nvarchar(120) NOT NULL, trigger_name nvarchar(150) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            blob_data varbinary(max) NULL,
            CONSTRAINT PK_qrtz_blob_triggers PRIMARY KEY (sched_name, trigger_name, trigger_group),
            CONSTRAINT FK_qrtz_blob_triggers_qrtz_triggers FOREIGN KEY (sched_name, trigger_name, trigger_group)
                REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
        CREATE TABLE qrtz_calendars (
            sched_name nvarchar(120) NOT NULL, calendar_name nvarchar(200) NOT NULL, calendar varbinary(max) NOT NULL,
            CONSTRAINT PK_qrtz_calendars PRIMARY KEY (sched_name, calendar_name));
        CREATE TABLE qrtz_paused_trigger_grps (
            sched_name nvarchar(120) NOT NULL, trigger_group nvarchar(150) NOT NULL,
            CONSTRAINT PK_qrtz_paused_trigger_grps PRIMARY KEY (sched_name, trigger_group));
        CREATE TABLE qrtz_fired_triggers (
            sched_name nvarchar(120) NOT NULL, entry_id nvarchar(140) NOT NULL, trigger_name nvarchar(150) NOT NULL,
            trigger_group nvarchar(150) NOT NULL, instance_name nvarchar(200) NOT NULL, fired_time bigint NOT NULL,
            sched_time bigint NOT NULL, priority int NOT NULL, state nvarchar(16) NOT NULL, job_name nvarchar(150) NULL,
            job_group nvarchar(150) NULL, is_nonconcurrent bit NULL, requests_recovery bit NULL,
            CONSTRAINT PK_qrtz_fired_triggers PRIMARY KEY (sched_name, entry_id));
        CREATE TABLE qrtz_scheduler_state (
            sched_name nvarchar(120) NOT NULL, instance_name nvarchar(200) NOT NULL, last_checkin_time bigint NOT NULL,
            checkin_interval bigint NOT NULL,
            CONSTRAINT PK_qrtz_scheduler_state PRIMARY KEY (sched_name, instance_name));
        CREATE TABLE qrtz_locks (
            sched_name nvarchar(120) NOT NULL, lock_name nvarchar(40) NOT NULL,
            CONSTRAINT PK_qrtz_locks PRIMARY KEY (sched_name, lock_name));
        CREATE INDEX idx_qrtz_t_g_j ON qrtz_triggers (sched_name, job_group, job_name);
        CREATE INDEX idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
        CREATE INDEX idx_qrtz_t_n_g_state ON qrtz_triggers (sched_name, trigger_group, trigger_state);
        CREATE INDEX idx_qrtz_t_state ON qrtz_triggers (sched_name, trigger_state);
        CREATE INDEX idx_qrtz_t_n_state ON qrtz_triggers (sched_name, trigger_name, trigger_group, trigger_state);
        CREATE INDEX idx_qrtz_t_next_fire_time ON qrtz_triggers (sched_name, next_fire_time);
        CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time);
        CREATE INDEX idx_qrtz_t_nft_st_misfire ON qrtz_triggers (sched_name, misfire_instr, next_fire_time, trigger_state);
        CREATE INDEX idx_qrtz_t_nft_st_misfire_grp ON qrtz_triggers (sched_name, misfire_instr, next_fire_time, trigger_group, trigger_state);
        CREATE INDEX idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
        CREATE INDEX idx_qrtz_ft_g_j ON qrtz_fired_triggers (sched_name, job_group, job_name);
        CREATE INDEX idx_qrtz_ft_g_t ON qrtz_fired_triggers (sched_name, trigger_group, trigger_name);
        """;
}
