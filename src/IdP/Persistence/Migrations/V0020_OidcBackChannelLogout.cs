using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence.Migrations;

/// <summary>
/// Schema version 20: OIDC Back-Channel Logout 1.0. Each client's backchannel_logout_uri and
/// backchannel_logout_session_required, and which clients got an ID token in which session (OidcSessionClients), so
/// the end of a session reaches them. The logout tokens themselves go through GatewayWebhookDeliveries. Also the
/// address a device authorization request came from (OidcDeviceAuthorizations.DeviceIp).
/// </summary>
[DbContext(typeof(IdpDbContext))]
[Migration("0020_OidcBackChannelLogout")]
internal sealed class V0020_OidcBackChannelLogout : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("BackchannelLogoutUri", "OidcClients", maxLength: 2000, nullable: true);
        m.AddColumn<bool>("BackchannelLogoutSessionRequired", "OidcClients", nullable: false, defaultValue: false);
        m.CreateTable("OidcSessionClients", t => new
        {
            SessionId = t.Column<string>(maxLength: 64, nullable: false),
            ClientId = t.Column<string>(maxLength: 100, nullable: false),
            Issuer = t.Column<string>(maxLength: 2000, nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_OidcSessionClients", x => new { x.SessionId, x.ClientId }));
        m.CreateIndex("IX_OidcSessionClients_CreatedAt", "OidcSessionClients", "CreatedAt");
        // The device grant's WhatsApp question names where the device asked from.
        m.AddColumn<string>("DeviceIp", "OidcDeviceAuthorizations", maxLength: 45, nullable: true);
    }
}
