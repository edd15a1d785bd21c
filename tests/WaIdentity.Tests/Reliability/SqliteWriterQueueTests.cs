using Microsoft.EntityFrameworkCore;
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

    private IdpDbContext Context(int timeoutSeconds = 600)
    {
        var builder = new DbContextOptionsBuilder<IdpDbContext>();
        var options = new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={_file};Default Timeout={timeoutSeconds}" };
        DatabaseConfigurator.Configure(builder, options, IdpDbContext.HistoryTable, typeof(IdpDbContext).Assembly.GetName().Name!);
        return new IdpDbContext(builder.Options);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
    }
}
