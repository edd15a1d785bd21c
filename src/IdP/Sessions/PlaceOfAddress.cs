using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Localization;

namespace WaIdentity.IdP.Sessions;

/// <summary>
/// Where a session came from, in words for the addresses a person cannot read: "this computer" for loopback (::1,
/// 127.0.0.1), "your local network" for private ranges; a public address is shown as it is.
/// </summary>
internal static class PlaceOfAddress
{
    public static string Describe(string? address, IStringLocalizer t)
    {
        if (string.IsNullOrEmpty(address) || !IPAddress.TryParse(address, out var ip)) return t["Account_PlaceUnknown"];
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (IPAddress.IsLoopback(ip)) return t["Account_PlaceThisComputer"];
        return IsPrivate(ip) ? t["Account_PlaceLocalNetwork"] : ip.ToString();
    }

    private static bool IsPrivate(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetworkV6) return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        var b = ip.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254);
    }
}
