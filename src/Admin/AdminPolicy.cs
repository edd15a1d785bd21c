using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.Extensions.DependencyInjection;

namespace WaIdentity.Admin;

/// <summary>The authorization policy every /admin page requires; the host defines it (admin role).</summary>
public static class AdminPolicy
{
    public const string Name = "admin";

    /// <summary>Every page of the portal (its /Admin folder, handlers included) requires <see cref="Name"/>.</summary>
    public static PageConventionCollection AuthorizeAdminPortal(this PageConventionCollection pages) =>
        pages.AuthorizeFolder("/Admin", Name);
}
