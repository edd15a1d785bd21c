using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Sets <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection EF opens. With the WAL journal (which
/// <see cref="DatabaseConfigurator.PrepareSqliteFile"/> turns on) the default FULL flushes the disk on every commit:
/// about 5 ms here, and SQLite has one writer, so every write of every request queued behind that flush (the benchmark's
/// largest cost: ~200 commits/s at most). NORMAL is SQLite's recommended setting for WAL: the database cannot be
/// corrupted; only a power loss or OS crash (not a process crash) can roll back the last commits.
/// The pragma is per connection, so it runs on each open (in-process, microseconds).
/// </summary>
public sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    public const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }
}
