using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Npgsql;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// One database per provider and run that holds every schema version, migrated by the product's own start-up
/// (<see cref="IdpProgram.PrepareAsync"/>) the first time a test asks for it. Tests get copies: a file copy for SQLite,
/// <c>CREATE DATABASE … TEMPLATE</c> for PostgreSQL. Applying the versions took a host's start 1-10 s on SQLite and
/// 5-55 s on PostgreSQL on a busy machine; copying takes a fraction of that. The schema tests still migrate empty
/// databases (<see cref="TestDatabase.CreateEmptyAsync"/>), so the versions themselves stay covered.
/// </summary>
internal static class SchemaTemplate
{
    private static readonly ConcurrentDictionary<DatabaseProvider, Lazy<Task<TestDatabase>>> Templates = new();

    static SchemaTemplate() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();

    /// <summary>The template's file (SQLite) or database name (PostgreSQL).</summary>
    public static async Task<string> OfAsync(DatabaseProvider provider)
    {
        var template = await Templates.GetOrAdd(provider, p => new Lazy<Task<TestDatabase>>(() => MigrateAsync(p))).Value;
        return provider == DatabaseProvider.Sqlite
            ? new SqliteConnectionStringBuilder(template.ConnectionString).DataSource
            : new NpgsqlConnectionStringBuilder(template.ConnectionString).Database!;
    }

    private static async Task<TestDatabase> MigrateAsync(DatabaseProvider provider)
    {
        var db = await TestDatabase.CreateEmptyAsync(provider);
        await using (var app = IdpApp.Build(["--environment", "Development"], db.Settings))
            await IdpProgram.PrepareAsync(app);
        // A copy must see every page in the main file, and PostgreSQL copies only a database nobody is connected to.
        if (provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearPool(new SqliteConnection(db.ConnectionString));
            await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ToString());
            await conn.OpenAsync();
            await using var checkpoint = conn.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        else
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(db.ConnectionString));
        }
        return db;
    }

    private static void RemoveAll()
    {
        foreach (var template in Templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
        {
            try { template.Value.Result.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)); }
            catch (Exception) { /* the run is over: a template left behind is only disk space on a throwaway server */ }
        }
    }
}
