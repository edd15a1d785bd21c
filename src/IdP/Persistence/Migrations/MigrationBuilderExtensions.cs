using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

internal static class MigrationBuilderExtensions
{
    public static bool IsNpgsql(this MigrationBuilder m) => m.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL";
    public static bool IsSqlServer(this MigrationBuilder m) => m.ActiveProvider == "Microsoft.EntityFrameworkCore.SqlServer";

    /// <summary>SQLite does not enforce string lengths; the other databases need a column widened explicitly.</summary>
    public static bool EnforcesLengths(this MigrationBuilder m) => m.ActiveProvider != "Microsoft.EntityFrameworkCore.Sqlite";
}
