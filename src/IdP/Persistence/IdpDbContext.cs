using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// The IdP's tables. Schema versions are hand-written migrations in <c>Persistence/Migrations</c>
/// (no EF design-time tooling is served here); <see cref="SchemaMigrator"/> applies them at start-up.
/// </summary>
internal class IdpDbContext(DbContextOptions<IdpDbContext> options) : IdentityDbContext<IdpUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    public const string HistoryTable = "schema_versions_idp";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<RateLimitCounter> RateLimitCounters => Set<RateLimitCounter>();
    public DbSet<UserSession> UserSessions => Set<UserSession>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.UseUnixTimeMilliseconds();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<DataProtectionKey>(e =>
        {
            // The library's entity on the table the schema versions have always built: the same three columns,
            // so keys written before the library took over stay readable.
            e.ToTable("DataProtectionKeys");
            e.Property(k => k.FriendlyName).HasMaxLength(200).IsRequired();
            e.Property(k => k.Xml).IsRequired();
        });
        builder.Entity<RateLimitCounter>(e =>
        {
            e.ToTable("RateLimitCounters");
            e.HasKey(c => c.Key);
            e.Property(c => c.Key).HasMaxLength(300);
            e.HasIndex(c => c.ExpiresAt);
        });
        builder.Entity<UserSession>(e =>
        {
            e.ToTable("UserSessions");
            e.Property(s => s.Id).HasMaxLength(64);
            e.HasIndex(s => s.UserId);
            e.HasIndex(s => s.ExpiresAt);
        });
        // Features keep their own IEntityTypeConfiguration classes next to their code.
        builder.ApplyConfigurationsFromAssembly(typeof(IdpDbContext).Assembly, t => t.Namespace?.StartsWith("WaIdentity.IdP") == true);
    }
}
