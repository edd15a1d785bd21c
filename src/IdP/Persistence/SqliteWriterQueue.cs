using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Lines up this process's SQLite write transactions in arrival order, one at a time per database file, with an async
/// queue. SQLite has one writer: without the queue, every transaction that found the file locked slept inside SQLite's
/// busy handler (1, 2, 5 … 100 ms naps, holding a thread) and woke in no particular order. Under 16 concurrent
/// refreshes that lottery made the p99 four times the median, and the sleeping threads starved the pool. Queued
/// writers hold no thread and take the lock the moment the one before them commits.
/// <para>
/// The IdP's and the channel's contexts share one queue per file. The queue begins the transaction itself, so a BEGIN
/// that fails (cancelled while waiting, or the file locked by another process past the busy timeout) gives its place
/// straight back, and closes the connection EF opened for it: EF leaves that open when the start fails, and a pooled
/// context's async reset then closes the connection behind EF's back without resetting its count, so every later
/// transaction of that context left its connection open and no close event came any more. A transaction leaves the
/// queue when it commits, rolls back or fails, or when its connection closes by any route (the connection's own
/// <c>StateChange</c>, which also sees the pool's silent close; a transaction disposed unfinished ends with its
/// connection). A place still marked on a connection that begins again is stale (SQLite runs one transaction per
/// connection) and is given back before that connection waits. Places are tied to the connection and transaction
/// objects, not to EF's connection id, which a pooled context renews on reset.
/// </para>
/// <para>
/// A place held longer than SQLite's own busy timeout (the connection's <c>Default Timeout</c>, the "patience") is
/// presumed lost: the next writer whose wait ends takes it over and logs one warning for it (another process holding
/// the file's lock that long, with the holder stuck in BEGIN, looks the same). Before, a writer that waited that long
/// went on without a place, so one leaked place made every later writer of the file wait the whole busy timeout,
/// forever. Correctness does not depend on the queue: SQLite's lock still admits one writer, so a writer that took
/// over from a transaction really still running meets the busy handler and, past the timeout, "database is locked",
/// as it would without the queue (so does a transaction opened inside another one's). A write statement outside a
/// transaction (EF's <c>ExecuteUpdate</c>, a one-row <c>SaveChanges</c>) takes a place for as long as it runs; before,
/// those met the busy handler's naps beside the queued transactions (the webhook processor's claims and marks: p99
/// 75-80 ms).
/// </para>
/// </summary>
internal sealed class SqliteWriterQueue : IDbTransactionInterceptor, IDbCommandInterceptor
{
    private static readonly ConcurrentDictionary<string, WriterLine> Lines = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DbConnection, Place> byConnection = new();
    private readonly ConditionalWeakTable<DbTransaction, Place> byTransaction = new();
    private readonly ConditionalWeakTable<DbCommand, Place> byCommand = new();

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        GiveBackStalePlace(connection);
        Place? place = null;
        try
        {
            place = await LineOf(connection).EnterAsync(Patience(connection), eventData.Context, cancellationToken);
            return Placed(connection, await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken), place);
        }
        catch
        {
            place?.Leave();
            if (eventData.Context is { } context) await context.Database.CloseConnectionAsync();
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        GiveBackStalePlace(connection);
        Place? place = null;
        try
        {
            place = LineOf(connection).Enter(Patience(connection), eventData.Context);
            return Placed(connection, connection.BeginTransaction(eventData.IsolationLevel), place);
        }
        catch
        {
            place?.Leave();
            eventData.Context?.Database.CloseConnection();
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

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        WaitIfWrite(command, eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        await WaitIfWriteAsync(command, eventData.Context, cancellationToken);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        WaitIfWrite(command, eventData.Context);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await WaitIfWriteAsync(command, eventData.Context, cancellationToken);
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

    private void WaitIfWrite(DbCommand command, DbContext? context)
    {
        if (IsLoneWrite(command)) Mark(command, LineOf(command.Connection!).Enter(Patience(command.Connection!), context));
    }

    private async Task WaitIfWriteAsync(DbCommand command, DbContext? context, CancellationToken ct)
    {
        if (IsLoneWrite(command)) Mark(command, await LineOf(command.Connection!).EnterAsync(Patience(command.Connection!), context, ct));
    }

    private void Mark(DbCommand command, Place place)
    {
        byCommand.AddOrUpdate(command, place);
        place.LeaveWhenClosed(command.Connection!);
    }

    /// <summary>A statement that writes, outside a transaction (inside one, the transaction holds the place).</summary>
    private static bool IsLoneWrite(DbCommand command) =>
        command.Transaction is null && command.Connection is not null && command.CommandText.AsSpan().TrimStart() is var sql
        && (sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// SQLite runs one transaction per connection: a place still marked on a connection that begins another belongs to
    /// one that ended without an event (disposed unfinished on a connection that stayed open). Given back before this
    /// connection waits, or it would wait behind its own stale place.
    /// </summary>
    private void GiveBackStalePlace(DbConnection connection) => Leave(byConnection, connection);

    /// <summary>Hands EF the transaction begun here, with its place marked on it and on its connection.</summary>
    private InterceptionResult<DbTransaction> Placed(DbConnection connection, DbTransaction transaction, Place place)
    {
        byConnection.AddOrUpdate(connection, place);
        byTransaction.AddOrUpdate(transaction, place);
        place.LeaveWhenClosed(connection);
        return InterceptionResult<DbTransaction>.SuppressWithResult(transaction);
    }

    /// <summary>Gives back the place marked on <paramref name="key"/>, if any (a place is given back once, whichever event comes first).</summary>
    private static Task Leave<T>(ConditionalWeakTable<T, Place> places, T key) where T : class
    {
        if (places.TryGetValue(key, out var place)) place.Leave();
        return Task.CompletedTask;
    }

    private static WriterLine LineOf(DbConnection connection) =>
        Lines.GetOrAdd(connection.DataSource, static file => new WriterLine(file));

    private static TimeSpan Patience(DbConnection connection) =>
        TimeSpan.FromSeconds(Math.Max(1, (connection as SqliteConnection)?.DefaultTimeout ?? 30));

    /// <summary>One database file's writers: one place at a time, handed on in arrival order.</summary>
    private sealed class WriterLine(string file)
    {
        private readonly SemaphoreSlim turn = new(1, 1);
        private Place? holder;

        public Place Enter(TimeSpan patience, DbContext? context)
        {
            for (var wait = patience; ; )
            {
                if (turn.Wait(wait)) return Hold();
                if (TakeOverLostPlace(patience, context, out wait) is { } place) return place;
            }
        }

        public async Task<Place> EnterAsync(TimeSpan patience, DbContext? context, CancellationToken ct)
        {
            for (var wait = patience; ; )
            {
                if (await turn.WaitAsync(wait, ct)) return Hold();
                if (TakeOverLostPlace(patience, context, out wait) is { } place) return place;
            }
        }

        /// <summary>Called by the place itself, once: hands the turn to the next writer.</summary>
        public void Release(Place place)
        {
            Interlocked.CompareExchange(ref holder, null, place);
            turn.Release();
        }

        private Place Hold()
        {
            var place = new Place(this);
            Volatile.Write(ref holder, place);
            return place;
        }

        /// <summary>
        /// After a wait that ran out: the holder's place if it has been held past the patience (the turn passes to this
        /// writer without being released), else null and how much longer the holder may keep it.
        /// </summary>
        private Place? TakeOverLostPlace(TimeSpan patience, DbContext? context, out TimeSpan wait)
        {
            wait = patience;
            if (Volatile.Read(ref holder) is not { } held) return null; // given back meanwhile: wait for the turn again
            if (held.HeldFor < patience)
            {
                wait = patience - held.HeldFor;
                return null;
            }
            // Only one waiter wins the place; a holder that gave it back meanwhile released the turn instead.
            if (!held.Abandon()) return null;
            WarnTakenOver(patience, context);
            return Hold();
        }

        private void WarnTakenOver(TimeSpan patience, DbContext? context) =>
            context?.GetService<ILoggerFactory>().CreateLogger<SqliteWriterQueue>().LogWarning(
                "A writer kept its place in the SQLite write queue of {File} past the busy timeout ({Seconds} s): a place never given back, or the file locked by another process. The next writer took the place over",
                file, patience.TotalSeconds);
    }

    /// <summary>One writer's turn in a line, given back exactly once whichever event comes first.</summary>
    private sealed class Place(WriterLine line)
    {
        private readonly long takenAt = Stopwatch.GetTimestamp();
        private DbConnection? connection;
        private int over;

        public TimeSpan HeldFor => Stopwatch.GetElapsedTime(takenAt);

        /// <summary>
        /// Gives the place back when the connection closes, by whatever route: a pooled context's reset closes it without
        /// EF's interception events, and a transaction disposed unfinished ends with its connection.
        /// </summary>
        public void LeaveWhenClosed(DbConnection on)
        {
            connection = on;
            on.StateChange += OnStateChange;
        }

        public void Leave()
        {
            if (End()) line.Release(this);
        }

        /// <summary>Ends the place without releasing the turn, which the caller takes over; false if it had ended already.</summary>
        public bool Abandon() => End();

        private bool End()
        {
            if (Interlocked.Exchange(ref over, 1) != 0) return false;
            if (connection is { } on) on.StateChange -= OnStateChange;
            return true;
        }

        private void OnStateChange(object? sender, StateChangeEventArgs change)
        {
            if (change.CurrentState == ConnectionState.Closed) Leave();
        }
    }
}
