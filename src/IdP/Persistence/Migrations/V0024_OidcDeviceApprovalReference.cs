using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>Schema version 24: the SHA-256 of the reference a device request's WhatsApp reply buttons carry.</summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0024_OidcDeviceApprovalReference")]
internal sealed class V0024_OidcDeviceApprovalReference : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("ApprovalReferenceHash", "OidcDeviceAuthorizations", maxLength: 64, nullable: true);
        m.CreateIndex("IX_OidcDeviceAuthorizations_ApprovalReferenceHash", "OidcDeviceAuthorizations", "ApprovalReferenceHash");
    }
}
