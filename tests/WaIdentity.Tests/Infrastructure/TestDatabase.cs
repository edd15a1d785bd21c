using Npgsql;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// A new, empty database for one test: a temp SQLite file, or a fresh database on the PostgreSQL server that
/// ./test.sh starts (its admin connection string is in WAIDENTITY_TEST_PG).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresEnv = "WAIDENTITY_TEST_PG";

    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSQL };

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    private readonly string? _file;
    private readonly string? _pgName;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? file, string? pgName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _file = file;
        _pgName = pgName;
    }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"waid-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={file}", file, null);
        }
        var admin = AdminConnectionString();
        var name = $"waid_test_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var csb = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, csb.ToString(), null, name);
    }

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
    }
}
