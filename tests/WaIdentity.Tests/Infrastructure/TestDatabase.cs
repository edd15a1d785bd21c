using Microsoft.Data.SqlClient;
using Npgsql;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// A new database for one test: a temp SQLite file, or a fresh database on the PostgreSQL server that ./test.sh
/// starts (its admin connection string is in WAIDENTITY_TEST_PG), or, when WAIDENTITY_TEST_SQLSERVER holds the
/// connection string of a SQL Server login allowed to create databases, a fresh database there: every data test then
/// runs on SQL Server too.
/// <see cref="CreateAsync"/> gives a copy of a template that holds every schema version (migrated once per run by
/// <see cref="SchemaTemplate"/>), so a test host's start finds nothing to apply; <see cref="CreateEmptyAsync"/> gives
/// an empty one, for tests of the schema versions themselves.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresEnv = "WAIDENTITY_TEST_PG";
    public const string SqlServerEnv = "WAIDENTITY_TEST_SQLSERVER";

    public static TheoryData<DatabaseProvider> Providers
    {
        get
        {
            var providers = new TheoryData<DatabaseProvider> { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSQL };
            if (SqlServerConnectionString() is not null) providers.Add(DatabaseProvider.SqlServer);
            return providers;
        }
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string? _file;
    private readonly string? _pgName;
    private readonly string? _sqlServerName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? file, string? pgName, string? sqlServerName = null)
    {
        _sqlServerName = sqlServerName;
        Provider = provider;
        ConnectionString = connectionString;
        _file = file;
        _pgName = pgName;
    }

    /// <summary>A database at the newest schema version, copied from the run's template (SQL Server: empty, and the
    /// host's start migrates it).</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? await CreateOnSqlServerAsync() : await CreateAsync(provider, await SchemaTemplate.OfAsync(provider));

    /// <summary>A database without any table, for tests that apply the schema versions themselves.</summary>
    public static Task<TestDatabase> CreateEmptyAsync(DatabaseProvider provider) =>
        provider == DatabaseProvider.SqlServer ? CreateOnSqlServerAsync() : CreateAsync(provider, template: null);

    /// <param name="template">The template's file (SQLite) or database name (PostgreSQL) to copy; null for empty.</param>
    internal static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string? template)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"waid-test-{Guid.NewGuid():N}.db");
            if (template is not null) File.Copy(template, file);
            return new TestDatabase(provider, $"Data Source={file}", file, null);
        }
        var admin = AdminConnectionString();
        var name = $"waid_test_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            var copy = template is null ? "" : $" TEMPLATE \"{template}\"";
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{copy}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var csb = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, csb.ToString(), null, name);
    }

    private static async Task<TestDatabase> CreateOnSqlServerAsync()
    {
        var admin = SqlServerConnectionString()
            ?? throw new InvalidOperationException($"SQL Server tests need {SqlServerEnv} (a connection string allowed to create databases).");
        var name = $"waid_test_{Guid.NewGuid():N}";
        await using (var conn = new SqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new SqlCommand($"CREATE DATABASE [{name}]", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var csb = new SqlConnectionStringBuilder(admin) { InitialCatalog = name };
        return new TestDatabase(DatabaseProvider.SqlServer, csb.ToString(), null, null, name);
    }

    private static string? SqlServerConnectionString() =>
        Environment.GetEnvironmentVariable(SqlServerEnv) is { Length: > 0 } cs ? cs : null;

    public static string AdminConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresEnv) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"PostgreSQL tests need a server: run ./test.sh, which starts one and sets {PostgresEnv}.");

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider.ToString(),
        ["Database:ConnectionString"] = ConnectionString,
    };

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(AdminConnectionString());
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgName}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        if (_sqlServerName is not null)
        {
            SqlConnection.ClearAllPools();
            await using var conn = new SqlConnection(SqlServerConnectionString());
            await conn.OpenAsync();
            await using var cmd = new SqlCommand(
                $"ALTER DATABASE [{_sqlServerName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_sqlServerName}]", conn);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
