using Microsoft.AspNetCore.Mvc.RazorPages;
using WaIdentity.Admin;

namespace WaIdentity.IdP.Hosting;

/// <summary>What Razor pages share, declared once by folder instead of as the same attributes on every page model.</summary>
internal static class PageConventions
{
    public static void Apply(RazorPagesOptions options)
    {
        var pages = options.Conventions;
        pages.ConfigureFilter(new AntiforgeryRefusal());
        pages.ConfigureFilter(new NoStorePages());
        // "Not me" is the link in the send-code reply: whoever opens it need not be signed in.
        pages.AuthorizeFolder("/Account").AllowAnonymousToPage("/Account/NotMe");
        pages.AuthorizeFolder("/Developer");
        pages.AuthorizeAdminPortal();
    }
}
