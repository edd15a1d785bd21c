using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 25: a send-code challenge keeps the W3C trace context (traceparent) of the request that showed its
/// code, so the inbound message that proves it is placed in the login's trace. Challenges from before stay untraced.
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0025_SendCodeTraceContext")]
internal sealed class V0025_SendCodeTraceContext : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<string>("TraceParent", "LoginSendCodes", maxLength: 55, nullable: true);
}
