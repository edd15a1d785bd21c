using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
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
/// The IdP's and the channel's contexts share one queue per file. The queue begins the transaction itself, so a BEGIN
/// that fails (cancelled, or the file locked by another process past the busy timeout) gives its place straight back.
/// A transaction leaves the queue when it commits, rolls back or fails, or (when it was disposed unfinished) when its
/// connection closes; a place still marked on a connection that begins again is stale and is given back then. Places
/// are tied to the connection and transaction objects, not to EF's connection id, which a pooled context renews on
/// reset. A writer that has waited as long as
/// SQLite's own busy timeout goes on without its place, so a transaction opened inside another one's still meets
/// SQLite's "database is locked" instead of waiting forever. A write statement outside a transaction (EF's
/// <c>ExecuteUpdate</c>, a one-row <c>SaveChanges</c>) takes a place for as long as it runs; before, those met the busy
/// handler's naps beside the queued transactions (the webhook processor's claims and marks: p99 75-80 ms).
/// </para>
/// </summary>
internal sealed class SqliteWriterQueue : IDbTransactionInterceptor, IDbConnectionInterceptor, IDbCommandInterceptor
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Queues = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbConnection, Place> byConnection = new();
    private readonly ConditionalWeakTable<DbTransaction, Place> byTransaction = new();
    private readonly ConditionalWeakTable<DbCommand, Place> byCommand = new();

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        var place = await EnterAsync(connection, cancellationToken);
        try
        {
            return Placed(connection, await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken), place);
        }
        catch
        {
            place?.Leave();
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        var place = Enter(connection);
        try
        {
            return Placed(connection, connection.BeginTransaction(eventData.IsolationLevel), place);
        }
        catch
        {
            place?.Leave();
            throw;
        }
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Leave(byTransaction, transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(byTransaction, transaction);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Leave(byTransaction, transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(byTransaction, transaction);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Leave(byTransaction, transaction);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(byTransaction, transaction);

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Leave(byConnection, connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(byConnection, connection);

    public void ConnectionDisposed(DbConnection connection, ConnectionEndEventData eventData) => Leave(byConnection, connection);

    public Task ConnectionDisposedAsync(DbConnection connection, ConnectionEndEventData eventData) => Leave(byConnection, connection);

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        WaitIfWrite(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await WaitIfWriteAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        WaitIfWrite(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await WaitIfWriteAsync(command, cancellationToken);
        return result;
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Leave(byCommand, command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Leave(byCommand, command);
        return ValueTask.FromResult(result);
    }

    // A reader's statement holds the write lock until the reader goes (RETURNING rows are read first).
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Leave(byCommand, command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Leave(byCommand, command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(byCommand, command);

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Leave(byCommand, command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default) =>
        Leave(byCommand, command);

    private void WaitIfWrite(DbCommand command)
    {
        if (IsLoneWrite(command) && Enter(command.Connection!) is { } place) byCommand.AddOrUpdate(command, place);
    }

    private async Task WaitIfWriteAsync(DbCommand command, CancellationToken ct)
    {
        if (IsLoneWrite(command) && await EnterAsync(command.Connection!, ct) is { } place) byCommand.AddOrUpdate(command, place);
    }

    /// <summary>A place in the file's queue, or null when the wait ran past the busy timeout (the writer goes on without).</summary>
    private static Place? Enter(DbConnection connection)
    {
        var queue = QueueOf(connection);
        return queue.Wait(Patience(connection)) ? new Place(queue) : null;
    }

    private static async Task<Place?> EnterAsync(DbConnection connection, CancellationToken ct)
    {
        var queue = QueueOf(connection);
        return await queue.WaitAsync(Patience(connection), ct) ? new Place(queue) : null;
    }

    /// <summary>A statement that writes, outside a transaction (inside one, the transaction holds the place).</summary>
    private static bool IsLoneWrite(DbCommand command) =>
        command.Transaction is null && command.Connection is not null && command.CommandText.AsSpan().TrimStart() is var sql
        && (sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase));

    /// <summary>Hands EF the transaction begun here, with its place marked on it and on its connection.</summary>
    private InterceptionResult<DbTransaction> Placed(DbConnection connection, DbTransaction transaction, Place? place)
    {
        if (place is not null)
        {
            // SQLite runs one transaction per connection: a place still marked here belongs to one that never ended.
            Leave(byConnection, connection);
            byConnection.AddOrUpdate(connection, place);
            byTransaction.AddOrUpdate(transaction, place);
        }
        return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
    }

    /// <summary>Gives back the place marked on <paramref name="key"/>, if any (a place is given back once, whichever event comes first).</summary>
    private static Task Leave<T>(ConditionalWeakTable<T, Place> places, T key) where T : class
    {
        if (places.TryGetValue(key, out var place)) place.Leave();
        return Task.CompletedTask;
    }

    private static SemaphoreSlim QueueOf(DbConnection connection) =>
        Queues.GetOrAdd(connection.DataSource, static _ => new SemaphoreSlim(1, 1));

    private static TimeSpan Patience(DbConnection connection) =>
        TimeSpan.FromSeconds(Math.Max(1, (connection as SqliteConnection)?.DefaultTimeout ?? 30));

    /// <summary>One writer's turn in a queue, given back exactly once whichever event comes first.</summary>
    private sealed class Place(SemaphoreSlim queue)
    {
        private int _left;

        public void Leave()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) queue.Release();
        }
    }
}
