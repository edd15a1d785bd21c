namespace WaIdentity.IdP.Oidc.Device;

/// <summary>
/// The payloads of the WhatsApp question's two reply buttons: the decision and the question's reference, a 256-bit
/// random value made when the question is asked (only its SHA-256 is stored, as
/// <see cref="DeviceAuthorization.ApprovalReferenceHash"/>). The user code alone never decides a press: it is shown on
/// the device, so anyone near the screen knows it.
/// </summary>
internal static class DeviceApprovalButtons
{
    private const string ApprovePrefix = "device-approve:", RefusePrefix = "device-refuse:";

    public static string Payload(bool approve, string reference) => (approve ? ApprovePrefix : RefusePrefix) + reference;

    /// <summary>The decision and reference a payload carries, or null for a payload that is not a device question's.</summary>
    public static (bool Approve, string Reference)? Parse(string? payload) => payload switch
    {
        null => null,
        _ when payload.StartsWith(ApprovePrefix, StringComparison.Ordinal) && payload.Length > ApprovePrefix.Length => (true, payload[ApprovePrefix.Length..]),
        _ when payload.StartsWith(RefusePrefix, StringComparison.Ordinal) && payload.Length > RefusePrefix.Length => (false, payload[RefusePrefix.Length..]),
        _ => null,
    };
}
