namespace WaIdentity.Admin;

/// <summary>
/// The portal's sections, in the order the navigation shows them. The layout lists them all and the home page links
/// to the same entries, so the two cannot disagree about a section's page or name.
/// </summary>
internal static class AdminNavigation
{
    /// <param name="Page">The Razor page (for asp-page); the pages of its folder belong to the section.</param>
    /// <param name="Label">An AdminText key.</param>
    public sealed record Section(string Page, string Label)
    {
        /// <summary>Whether <paramref name="page"/> (the route's page name, e.g. /Admin/Users/Detail) is in this section:
        /// the section's own page, or another page of its folder (the home page's folder is the whole portal).</summary>
        public bool Holds(string? page) => page == Page
            || (Page.EndsWith("/Index", StringComparison.Ordinal) && this != Home && page?.StartsWith(Page[..^"Index".Length], StringComparison.Ordinal) == true);
    }

    public static readonly Section Home = new("/Admin/Index", "Nav_Home");
    public static readonly Section Users = new("/Admin/Users/Index", "Nav_Users");
    public static readonly Section Clients = new("/Admin/Clients/Index", "Nav_Clients");
    public static readonly Section Apps = new("/Admin/Apps/Index", "Nav_Apps");
    public static readonly Section LoginMethods = new("/Admin/LoginMethods/Index", "Nav_LoginMethods");
    public static readonly Section WhatsApp = new("/Admin/WhatsApp/Index", "Nav_WhatsApp");
    public static readonly Section Device = new("/Admin/Device/Index", "Nav_Device");
    public static readonly Section Messages = new("/Admin/Messages/Index", "Nav_Messages");
    public static readonly Section Webhooks = new("/Admin/Webhooks/Index", "Nav_Webhooks");
    public static readonly Section Audit = new("/Admin/Audit", "Nav_Audit");

    public static readonly IReadOnlyList<Section> All = [Home, Users, Clients, Apps, LoginMethods, WhatsApp, Device, Messages, Webhooks, Audit];
}
