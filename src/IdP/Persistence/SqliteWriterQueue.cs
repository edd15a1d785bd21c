using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Lines up this process's SQLite write transactions in arrival order, one at a time per database file, with an async
/// queue. SQLite has one writer: without the queue, every transaction that found the file locked slept inside SQLite's
/// busy handler (1, 2, 5 … 100 ms naps, holding a thread) and woke in no particular order. Under 16 concurrent
/// refreshes that lottery made the p99 four times the median, and the sleeping threads starved the pool. Queued
/// writers hold no thread and take the lock the moment the one before them commits.
/// <para>
/// The IdP's and the channel's contexts share one queue per file. A transaction leaves the queue when it commits, rolls
/// back or fails, or (when it was disposed unfinished) when its connection closes. A writer that has waited as long as
/// SQLite's own busy timeout goes on without its place, so a transaction opened inside another one's still meets
/// SQLite's "database is locked" instead of waiting forever. Single-statement writes outside a transaction are not
/// queued; SQLite's busy timeout still covers them.
/// </para>
/// </summary>
internal sealed class SqliteWriterQueue : IDbTransactionInterceptor, IDbConnectionInterceptor
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> places = new(); // by EF's connection id

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        var queue = QueueOf(connection);
        if (await queue.WaitAsync(Patience(connection), cancellationToken)) places[eventData.ConnectionId] = queue;
        return result;
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        var queue = QueueOf(connection);
        if (queue.Wait(Patience(connection))) places[eventData.ConnectionId] = queue;
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.ConnectionId);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.ConnectionId, Task.CompletedTask);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(eventData.ConnectionId);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.ConnectionId, Task.CompletedTask);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(eventData.ConnectionId);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(eventData.ConnectionId, Task.CompletedTask);

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.ConnectionId);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.ConnectionId, Task.CompletedTask);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.ConnectionId);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(eventData.ConnectionId, Task.CompletedTask);

    /// <summary>Gives up the connection's place, if it holds one (each place is released exactly once).</summary>
    private void Leave(Guid connectionId)
    {
        if (places.TryRemove(connectionId, out var queue)) queue.Release();
    }

    private Task Leave(Guid connectionId, Task done)
    {
        Leave(connectionId);
        return done;
    }

    private static SemaphoreSlim QueueOf(DbConnection connection) =>
        Queues.GetOrAdd(connection.DataSource, static _ => new SemaphoreSlim(1, 1));

    private static TimeSpan Patience(DbConnection connection) =>
        TimeSpan.FromSeconds(Math.Max(1, (connection as SqliteConnection)?.DefaultTimeout ?? 30));
}
