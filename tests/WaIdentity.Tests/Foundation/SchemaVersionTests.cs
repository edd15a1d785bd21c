using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.Users;
using WaIdentity.Tests.Infrastructure;

namespace WaIdentity.Tests.Foundation;

public sealed class SchemaVersionTests
{
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_database_from_the_previous_version_is_upgraded_in_place_and_keeps_its_rows(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        var app = IdpApp.Build(["--environment", "Development"], db.Settings);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var ctx = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
            DatabaseConfigurator.PrepareSqliteFile(scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            var versions = ctx.Database.GetMigrations().ToList();
            // Bring the database to the version before the newest (V1: the empty database) and put a user in it.
            await ctx.GetService<IMigrator>().MigrateAsync(versions.Count > 1 ? versions[^2] : "0");
            if (versions.Count > 1) await InsertUserAsync(ctx);
        }

        await IdpProgram.PrepareAsync(app);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var ctx = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
            Assert.Empty(await ctx.Database.GetPendingMigrationsAsync());
            Assert.Equal(ctx.Database.GetMigrations(), await ctx.Database.GetAppliedMigrationsAsync());
            if (ctx.Database.GetMigrations().Count() > 1) Assert.Equal(1, await ctx.Users.CountAsync());
            await InsertUserAsync(ctx);
        }
        await app.DisposeAsync();
    }

    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_database_newer_than_the_code_refuses_to_start(DatabaseProvider provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider);
        await using (var first = IdpApp.Build(["--environment", "Development"], db.Settings))
        {
            await IdpProgram.PrepareAsync(first);
            await using var scope = first.Services.CreateAsyncScope();
            var ctx = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
            await ctx.Database.ExecuteSqlRawAsync(
                $"INSERT INTO \"{IdpDbContext.HistoryTable}\" (\"MigrationId\", \"ProductVersion\") VALUES ('9999_FromTheFuture', '99.0')");
        }

        var result = await IdpProcess.RunAsync([], db.Settings);

        Assert.Equal(3, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Database schema is newer than this WaIdentity", line);
        Assert.Contains("9999_FromTheFuture", line);
    }

    /// <summary>
    /// The hand-written schema versions must build exactly the tables and columns the EF model expects,
    /// or queries fail at run time. Compared against the model's own CREATE script on each provider.
    /// </summary>
    [Theory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Schema_versions_build_the_tables_the_model_expects(DatabaseProvider provider)
    {
        await using var migrated = await TestDatabase.CreateEmptyAsync(provider);
        await using var created = await TestDatabase.CreateEmptyAsync(provider);
        var fromVersions = await DescribeAsync(migrated, async app => await IdpProgram.PrepareAsync(app));
        var fromModel = await DescribeAsync(created, async app =>
        {
            foreach (var owner in app.Services.GetServices<SchemaOwner>())
            {
                await using var scope = app.Services.CreateAsyncScope();
                var ctx = (DbContext)scope.ServiceProvider.GetRequiredService(owner.ContextType);
                // SQL Server's script separates its batches with GO lines, which only tools understand.
                foreach (var batch in System.Text.RegularExpressions.Regex.Split(ctx.Database.GenerateCreateScript(), @"^\s*GO\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
                    if (!string.IsNullOrWhiteSpace(batch)) await ctx.Database.ExecuteSqlRawAsync(batch);
            }
        });

        var missing = fromModel.Except(fromVersions).ToList();
        Assert.True(missing.Count == 0, "Schema versions lack: " + string.Join(", ", missing));
    }

    private static async Task<HashSet<string>> DescribeAsync(TestDatabase db, Func<WebApplication, Task> build)
    {
        await using var app = IdpApp.Build(["--environment", "Development"], db.Settings);
        DatabaseConfigurator.PrepareSqliteFile(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        await build(app);
        await using var scope = app.Services.CreateAsyncScope();
        var ctx = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var sql = db.Provider switch
        {
            DatabaseProvider.Sqlite => "SELECT m.name || '.' || p.name || ':' || lower(p.type) || ':' || p.\"notnull\" AS \"Value\" FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE 'schema_versions%'",
            DatabaseProvider.SqlServer => "SELECT table_name + '.' + column_name + ':' + data_type + COALESCE('(' + CAST(character_maximum_length AS varchar(10)) + ')', '') + ':' + is_nullable AS [Value] FROM information_schema.columns WHERE table_schema = 'dbo' AND table_name NOT LIKE 'schema_versions%' AND table_name NOT LIKE 'qrtz%'",
            _ => "SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable AS \"Value\" FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'schema_versions%' AND table_name NOT LIKE 'qrtz%'",
        };
        return (await ctx.Database.SqlQueryRaw<string>(sql).ToListAsync()).ToHashSet();
    }

    private static async Task InsertUserAsync(IdpDbContext ctx)
    {
        ctx.Users.Add(new IdpUser { UserName = $"u{Guid.NewGuid():N}", PhoneNumber = "+6281234567890", CreatedAt = DateTimeOffset.UtcNow });
        await ctx.SaveChangesAsync();
    }
}
