using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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

    private IdpDbContext Context(int timeoutSeconds = 600) => new(Options(timeoutSeconds));

    private DbContextOptions<IdpDbContext> Options(int timeoutSeconds = 600)
    {
        var builder = new DbContextOptionsBuilder<IdpDbContext>();
        var options = new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={_file};Default Timeout={timeoutSeconds}" };
        DatabaseConfigurator.Configure(builder, options, IdpDbContext.HistoryTable, typeof(IdpDbContext).Assembly.GetName().Name!);
        return builder.Options;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }
}
