using Microsoft.EntityFrameworkCore;

namespace WaIdentity.WaChannel.Persistence;

/// <summary>
/// The channel's own tables, with their own schema versions (history table <see cref="HistoryTable"/>) written by
/// hand in <c>Persistence/Migrations</c>. The host points it at the same database as everything else.
/// </summary>
public sealed class ChannelDbContext(DbContextOptions<ChannelDbContext> options) : DbContext(options)
{
    public const string HistoryTable = "schema_versions_channel";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseUnixTimeMilliseconds();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.ApplyConfigurationsFromAssembly(typeof(ChannelDbContext).Assembly);
    }
}
