using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence;

/// <summary>Thrown when the database was written by a newer WaIdentity than this one.</summary>
internal sealed class SchemaTooNewException(string message) : Exception(message);

/// <summary>
/// Applies the schema versions of every registered context at start-up and records them in each context's
/// history table. A database that already holds versions this build does not know refuses to start.
/// </summary>
internal sealed class SchemaMigrator(IEnumerable<SchemaOwner> owners, IServiceProvider services)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        foreach (var owner in owners)
        {
            await using var scope = services.CreateAsyncScope();
            var db = (DbContext)scope.ServiceProvider.GetRequiredService(owner.ContextType);
            await RefuseNewerSchemaAsync(db, ct);
            await db.Database.MigrateAsync(ct);
        }
    }

    private static async Task RefuseNewerSchemaAsync(DbContext db, CancellationToken ct)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(ct)) return;
        var known = db.Database.GetMigrations().ToHashSet();
        var unknown = (await history.GetAppliedMigrationsAsync(ct)).Select(r => r.MigrationId).Where(id => !known.Contains(id)).ToList();
        if (unknown.Count > 0)
            throw new SchemaTooNewException(
                $"Database schema is newer than this WaIdentity ({db.GetType().Name} has versions {string.Join(", ", unknown)} that this build does not know); upgrade WaIdentity or restore a matching backup.");
    }
}

/// <summary>A DbContext whose schema versions the migrator applies, in registration order.</summary>
internal sealed record SchemaOwner(Type ContextType);
