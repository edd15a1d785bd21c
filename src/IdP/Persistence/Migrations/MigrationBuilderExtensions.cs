using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

public static class MigrationBuilderExtensions
{
    public static bool IsNpgsql(this MigrationBuilder m) => m.ActiveProvider == "Npgsql.EntityFrameworkCore.PostgreSQL";
}
