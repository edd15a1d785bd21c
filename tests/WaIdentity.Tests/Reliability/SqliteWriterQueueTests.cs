using System.Collections.Concurrent;
using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.Tests.Reliability;

/// <summary>
/// SQLite write transactions of one process line up in an async queue (<see cref="SqliteWriterQueue"/>): a second
/// writer waits without a thread instead of napping in SQLite's busy handler, and a place is always given back. The
/// contexts here are the product's own configuration on a file no server touches, so nothing else takes a place.
/// </summary>
public sealed class SqliteWriterQueueTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"waid-writers-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_second_writer_waits_in_line_and_goes_on_when_the_first_commits()
    {
        await using var first = Context(timeoutSeconds: 5);
        await using var second = Context(timeoutSeconds: 5);
        var holding = await first.Database.BeginTransactionAsync();

        // Without the queue, Microsoft.Data.Sqlite would block right here in the busy handler (it runs synchronously)
        // and throw "database is locked" after the busy timeout.
        var waiting = second.Database.BeginTransactionAsync();
        Assert.False(waiting.IsCompleted);

        await holding.CommitAsync();
        await using var next = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        await next.CommitAsync();
    }

    [Fact]
    public async Task A_write_outside_a_transaction_waits_in_line_too()
    {
        await using var first = Context(timeoutSeconds: 5);
        await using var second = Context(timeoutSeconds: 5);
        await first.Database.ExecuteSqlRawAsync("CREATE TABLE Notes (Text TEXT)");
        var holding = await first.Database.BeginTransactionAsync();

        // Without the queue this statement would block in the busy handler and fail with "database is locked".
        var waiting = second.Database.ExecuteSqlRawAsync("INSERT INTO Notes VALUES ('queued')");
        Assert.False(waiting.IsCompleted);

        await holding.CommitAsync();
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(60)));
        // A write read back through a data reader (as SaveChanges reads RETURNING) holds its place until the reader goes.
        Assert.Equal([1], await second.Database.SqlQueryRaw<int>("INSERT INTO Notes VALUES ('read back') RETURNING 1 AS Value").ToListAsync());
        // Both statements gave their places back: a transaction begins at once.
        var next = first.Database.BeginTransactionAsync();
        Assert.True(next.IsCompletedSuccessfully);
        await (await next).CommitAsync();
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_gives_its_place_back()
    {
        await using var first = Context();
        await using var second = Context();
        await using (await first.Database.BeginTransactionAsync())
        {
            // an exception would leave here the same way: disposed, neither committed nor rolled back
        }

        // A place still held would make this wait the whole busy timeout (10 minutes here) before going on.
        var next = second.Database.BeginTransactionAsync();
        Assert.True(next.IsCompletedSuccessfully);
        await using var transaction = await next;
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task A_rolled_back_transaction_gives_its_place_back()
    {
        await using var first = Context();
        await using var second = Context();
        await using (var transaction = await first.Database.BeginTransactionAsync()) await transaction.RollbackAsync();

        var next = second.Database.BeginTransactionAsync();
        Assert.True(next.IsCompletedSuccessfully);
        await (await next).CommitAsync();
    }

    [Fact]
    public async Task A_pooled_context_returned_in_the_middle_of_a_transaction_gives_its_place_back()
    {
        // The product pools its contexts: a request cut off mid-transaction returns its context to the pool, which
        // resets it instead of disposing it. (This passed before places were tied to objects: it guards the reset
        // path; the leak pooling exposed is A_transaction_that_cannot_begin_gives_its_place_back.)
        var pool = new PooledDbContextFactory<IdpDbContext>(Options());
        await using (var first = pool.CreateDbContext()) await first.Database.BeginTransactionAsync();

        await using var second = pool.CreateDbContext();
        await using var other = new IdpDbContext(Options());
        foreach (var context in new[] { second, other })
        {
            var next = context.Database.BeginTransactionAsync();
            Assert.True(next.IsCompletedSuccessfully);
            await (await next).CommitAsync();
        }
    }

    [Fact]
    public async Task A_transaction_that_cannot_begin_gives_its_place_back()
    {
        // Another process (here a connection outside EF) holds the write lock: BEGIN IMMEDIATE fails after the busy
        // timeout. The place taken for it must not stay taken by a context that lives on (a pooled one does).
        await using var first = Context(timeoutSeconds: 1);
        using (var outsider = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_file}"))
        {
            outsider.Open();
            using var lockIt = outsider.BeginTransaction(deferred: false);
            await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => first.Database.BeginTransactionAsync());
        }

        await using var second = Context();
        var next = second.Database.BeginTransactionAsync();
        Assert.True(next.IsCompletedSuccessfully);
        await (await next).CommitAsync();
    }

    [Fact]
    public async Task A_writer_cancelled_while_waiting_in_line_leaves_its_pooled_context_as_it_found_it()
    {
        // EF opens the connection before the queue runs and does not close it when the start throws; the pool's async
        // reset then closes the connection without resetting EF's open count, so every later transaction of that
        // context left its connection open, and no close event ever came for it again.
        var pool = new PooledDbContextFactory<IdpDbContext>(Options());
        await using var holder = Context();
        var holding = await holder.Database.BeginTransactionAsync();
        IdpDbContext cancelled;
        await using (cancelled = pool.CreateDbContext()) await CancelWhileWaitingAsync(cancelled);
        await holding.CommitAsync();

        await using var again = pool.CreateDbContext();
        Assert.Same(cancelled, again);
        await using (var transaction = await again.Database.BeginTransactionAsync()) await transaction.CommitAsync();
        Assert.Equal(ConnectionState.Closed, again.Database.GetDbConnection().State);
    }

    [Fact]
    public async Task A_transaction_disposed_unfinished_after_a_cancelled_wait_does_not_stall_the_file()
    {
        // The stall seen under load: requests cut off while waiting in line left their pooled contexts counting an
        // open connection; a later request on one of them was cut off mid-transaction (disposed unfinished), no event
        // gave its place back, and every later writer waited the whole busy timeout (here 10 minutes) before each write.
        var pool = new PooledDbContextFactory<IdpDbContext>(Options());
        await using var holder = Context();
        var holding = await holder.Database.BeginTransactionAsync();
        await using (var cancelled = pool.CreateDbContext()) await CancelWhileWaitingAsync(cancelled);
        await holding.CommitAsync();
        await using (var cutOff = pool.CreateDbContext())
        await using (await cutOff.Database.BeginTransactionAsync())
        {
            // a request aborted here: the transaction is disposed, neither committed nor rolled back
        }

        await using var next = Context();
        var begin = next.Database.BeginTransactionAsync();
        Assert.True(begin.IsCompletedSuccessfully);
        await (await begin).CommitAsync();
    }

    [Fact]
    public async Task A_place_is_given_back_when_the_pool_closes_the_connection_behind_EF()
    {
        // A connection opened by hand stays open after an unfinished transaction; returning the context to the pool
        // closes it without EF's interception events. The connection's own close gives the place back.
        var pool = new PooledDbContextFactory<IdpDbContext>(Options());
        await using (var first = pool.CreateDbContext())
        {
            await first.Database.OpenConnectionAsync();
            await using (await first.Database.BeginTransactionAsync()) { }
        }

        await using var next = Context();
        var begin = next.Database.BeginTransactionAsync();
        Assert.True(begin.IsCompletedSuccessfully);
        await (await begin).CommitAsync();
    }

    [Fact]
    public async Task A_connection_beginning_again_gives_back_its_own_stale_place_before_waiting()
    {
        await using var context = Context();
        await context.Database.OpenConnectionAsync();
        await using (await context.Database.BeginTransactionAsync()) { } // unfinished, the connection stays open

        // It waited behind its own place the whole busy timeout (10 minutes here), then went on without one.
        var again = context.Database.BeginTransactionAsync();
        Assert.True(again.IsCompletedSuccessfully);
        await (await again).CommitAsync();
    }

    [Fact]
    public async Task A_place_held_past_the_busy_timeout_is_taken_over_once_and_later_writers_do_not_wait()
    {
        // A place leaked where no event can give it back: an unfinished transaction on a connection kept open, by a
        // context that lives on. Before, every later writer waited the whole busy timeout, forever.
        var warnings = new WarningLog();
        await using var leaker = Context(timeoutSeconds: 1, warnings);
        await leaker.Database.OpenConnectionAsync();
        await using (await leaker.Database.BeginTransactionAsync()) { }

        await using var second = Context(timeoutSeconds: 1, warnings);
        var waiting = second.Database.BeginTransactionAsync();
        Assert.False(waiting.IsCompleted);
        await using (var transaction = await waiting.WaitAsync(TimeSpan.FromSeconds(60))) await transaction.CommitAsync();

        await using var third = Context(timeoutSeconds: 1, warnings);
        var next = third.Database.BeginTransactionAsync();
        Assert.True(next.IsCompletedSuccessfully);
        await (await next).CommitAsync();
        Assert.Contains("past the busy timeout", Assert.Single(warnings.Lines));
    }

    /// <summary>Starts a transaction while another holds the file, then cuts it off (a client gone) while it waits.</summary>
    private static async Task CancelWhileWaitingAsync(IdpDbContext context)
    {
        using var gone = new CancellationTokenSource();
        var waiting = context.Database.BeginTransactionAsync(gone.Token);
        Assert.False(waiting.IsCompleted);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    private IdpDbContext Context(int timeoutSeconds = 600, WarningLog? warnings = null) => new(Options(timeoutSeconds, warnings));

    private DbContextOptions<IdpDbContext> Options(int timeoutSeconds = 600, WarningLog? warnings = null)
    {
        var builder = new DbContextOptionsBuilder<IdpDbContext>();
        var options = new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={_file};Default Timeout={timeoutSeconds}" };
        DatabaseConfigurator.Configure(builder, options, IdpDbContext.HistoryTable, typeof(IdpDbContext).Assembly.GetName().Name!);
        if (warnings is not null) builder.UseLoggerFactory(LoggerFactory.Create(logging => logging.AddProvider(warnings)));
        return builder.Options;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }

    /// <summary>The queue's own warnings (EF's categories left out).</summary>
    private sealed class WarningLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyCollection<string> Lines => lines;

        public ILogger CreateLogger(string categoryName) => new Writer(categoryName == typeof(SqliteWriterQueue).FullName ? lines : null);

        public void Dispose() { }

        private sealed class Writer(ConcurrentQueue<string>? lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => lines is not null && logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) lines!.Enqueue(formatter(state, exception));
            }
        }
    }
}
