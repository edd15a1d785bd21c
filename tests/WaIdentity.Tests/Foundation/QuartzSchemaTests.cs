using Npgsql;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

/// <summary>
/// On PostgreSQL the clustered job store's tables come from our schema versions, not from Quartz. They must be what
/// the Quartz package in use would create itself: a column it lacks makes Quartz refuse to start (or fail a query
/// later). Compared against the script the Quartz assembly embeds, so moving to another Quartz release fails here
/// until a schema version brings the tables to it.
/// </summary>
public sealed class QuartzSchemaTests
{
    private const string Prefix = "qrtz_";

    [Fact]
    public async Task Schema_versions_build_the_job_store_tables_of_the_Quartz_release_in_use()
    {
        await using var migrated = await TestDatabase.CreateEmptyAsync(DatabaseProvider.PostgreSQL);
        await using var byQuartz = await TestDatabase.CreateEmptyAsync(DatabaseProvider.PostgreSQL);
        await using (var app = IdpApp.Build(["--environment", "Development"], migrated.Settings))
            await IdpProgram.PrepareAsync(app);
        await RunQuartzScriptAsync(byQuartz);

        var expected = await DescribeAsync(byQuartz);
        var actual = await DescribeAsync(migrated);

        Assert.NotEmpty(expected);
        var missing = expected.Except(actual).Order().ToList();
        var extra = actual.Except(expected).Order().ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "Schema versions lack: " + string.Join("; ", missing) + "\nand have besides: " + string.Join("; ", extra));
    }

    private static async Task RunQuartzScriptAsync(TestDatabase db)
    {
        var assembly = typeof(Quartz.IJob).Assembly;
        await using var stream = assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql")
            ?? throw new InvalidOperationException("The Quartz assembly no longer embeds its PostgreSQL schema script.");
        var script = (await new StreamReader(stream).ReadToEndAsync()).Replace("{0}", Prefix).Replace("{1}", Prefix);
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        // The script's own statement separator: a line reading exactly '--;;'.
        foreach (var statement in script.Split("\n--;;\n").Where(s => s.Contains("CREATE", StringComparison.Ordinal)))
        {
            await using var command = new NpgsqlCommand(statement, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Columns (type, length, nullability, default), indexes and constraints of the qrtz_ tables, by name.</summary>
    private static async Task<HashSet<string>> DescribeAsync(TestDatabase db)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || CASE is_nullable WHEN 'YES' THEN ' null' ELSE ' not null' END || coalesce(' default ' || column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 'qrtz\_%'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'qrtz\_%'
            UNION ALL
            SELECT 'constraint ' || c.conrelid::regclass || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND t.relname LIKE 'qrtz\_%'
            """;
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new HashSet<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
