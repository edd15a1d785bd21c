using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Update;

namespace WaIdentity.IdP.Persistence.SqlServer;

/// <summary>
/// Writes the SQL Server DDL of the hand-written schema versions. They carry no target model and leave column types
/// to the provider (SQLite and PostgreSQL index unbounded text), so SQL Server alone would make every string key
/// <c>nvarchar(max)</c>, which it cannot index. The context's current model fills that gap: a column the model knows
/// with the same length gets the model's store type (<c>nvarchar(450)</c> for a key or indexed string). Without a
/// target model EF also filters each unique index to non-null rows, which keeps SQLite's and PostgreSQL's meaning
/// (many rows may be NULL) where SQL Server would otherwise allow only one.
/// </summary>
internal sealed class SqlServerSchemaVersionSql(
    MigrationsSqlGeneratorDependencies dependencies, ICommandBatchPreparer batchPreparer, IDesignTimeModel designTimeModel)
    : SqlServerMigrationsSqlGenerator(dependencies, batchPreparer)
{
    public override IReadOnlyList<MigrationCommand> Generate(
        IReadOnlyList<MigrationOperation> operations, IModel? model = null, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        var current = designTimeModel.Model.GetRelationalModel();
        foreach (var operation in operations) ApplyModel(operation, current);
        return base.Generate(operations, model, options);
    }

    private static void ApplyModel(MigrationOperation operation, IRelationalModel current)
    {
        switch (operation)
        {
            case CreateTableOperation create:
                foreach (var column in create.Columns) ApplyModel(column, current);
                break;
            case ColumnOperation column when column.ColumnType is null:
                var known = current.FindTable(column.Table, column.Schema)?.FindColumn(column.Name);
                if (known is not null && known.MaxLength == column.MaxLength) column.ColumnType = known.StoreType;
                break;
        }
    }
}
