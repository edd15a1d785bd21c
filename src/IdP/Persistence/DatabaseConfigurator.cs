using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WaIdentity.IdP.Persistence;

/// <summary>Points a DbContext at the configured database; shared by the IdP's and the channel's contexts.</summary>
internal static class DatabaseConfigurator
{
    private static readonly SqliteConnectionSetup SqliteSetup = new();
    private static readonly SqliteWriterQueue SqliteWriters = new();

    public static void Configure(DbContextOptionsBuilder builder, DatabaseOptions options, string historyTable, string migrationsAssembly)
    {
        if (options.Kind == DatabaseProvider.PostgreSQL)
            builder.UseNpgsql(options.EffectiveConnectionString, o => o.MigrationsHistoryTable(historyTable).MigrationsAssembly(migrationsAssembly));
        else if (options.Kind == DatabaseProvider.SqlServer)
            builder.UseSqlServer(options.EffectiveConnectionString, o => o.MigrationsHistoryTable(historyTable).MigrationsAssembly(migrationsAssembly))
                .ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsSqlGenerator, SqlServer.SqlServerSchemaVersionSql>();
        else
            builder.UseSqlite(options.EffectiveConnectionString, o => o.MigrationsHistoryTable(historyTable).MigrationsAssembly(migrationsAssembly))
                .AddInterceptors(SqliteSetup, SqliteWriters);
        // Schema versions are hand-written (no model snapshot), so EF cannot compare them with the model;
        // SchemaVersionTests.Schema_versions_build_the_tables_the_model_expects does that instead.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        builder.ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsIdGenerator, SchemaVersionIds>();
    }

    /// <summary>Makes the SQLite file's folder and turns on WAL, so readers never wait for the writer.</summary>
    public static void PrepareSqliteFile(DatabaseOptions options)
    {
        if (options.Kind != DatabaseProvider.Sqlite) return;
        var csb = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (csb.DataSource is { Length: > 0 } path && path != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        using var connection = new SqliteConnection(csb.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
