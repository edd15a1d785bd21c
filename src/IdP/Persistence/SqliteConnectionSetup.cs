using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Sets the per-connection pragmas once on each physical SQLite connection, the first time EF opens it. The pool hands
/// the same physical connection to many <see cref="SqliteConnection"/> objects; setting the pragmas on every open ran
/// them on connections the pool handed back mid-way (an open transaction, statements still active), where SQLite
/// refuses to change the safety level. A new physical connection has neither, and the settings stay with it.
/// <list type="bullet">
/// <item><c>synchronous=NORMAL</c>: with the WAL journal (which <see cref="DatabaseConfigurator.PrepareSqliteFile"/>
/// turns on) the default FULL flushes the disk on every commit (about 5 ms here; SQLite has one writer, so every write
/// queued behind that flush). NORMAL is SQLite's recommended setting for WAL: the database cannot be corrupted; only a
/// power loss or OS crash (not a process crash) can roll back the last commits.</item>
/// <item><c>busy_timeout</c>: a writer that finds the database locked waits inside SQLite for the other writer to
/// commit (SQLite's busy handler retries after naps of 1 to 100 ms) instead of failing with "database is locked" or
/// polling in Microsoft.Data.Sqlite's 150 ms sleeps. Write transactions begin IMMEDIATE (Microsoft.Data.Sqlite's
/// default), so they take the lock first and never deadlock upgrading a read; inside one process they also queue in
/// <see cref="SqliteWriterQueue"/>, so they seldom meet the busy handler at all.</item>
/// </list>
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    public const string SynchronousPragma = "PRAGMA synchronous=NORMAL;";

    private static readonly ConditionalWeakTable<sqlite3, object> Prepared = new();
    private static readonly object Done = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        // Microsoft.Data.Sqlite runs every command synchronously; the async form would only add a state machine.
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || Prepared.TryGetValue(handle, out _)) return;
        using var command = sqlite.CreateCommand();
        // The busy wait matches the command timeout: Microsoft.Data.Sqlite would have retried that long anyway.
        command.CommandText = SynchronousPragma + $"PRAGMA busy_timeout={Math.Max(1, sqlite.DefaultTimeout) * 1000};";
        command.ExecuteNonQuery();
        Prepared.AddOrUpdate(handle, Done);
    }
}
