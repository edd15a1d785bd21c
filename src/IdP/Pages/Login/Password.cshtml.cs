using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc.Interaction;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// Email + password login. Unknown email, wrong password and a locked account all get the same message, and an
/// unknown email still costs one password hash, so neither text nor timing tells which accounts exist (ASVS 6.3.8).
/// Failures count towards Identity's lockout.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class PasswordModel(UserManager<IdpUser> users, IPasswordHasher<IdpUser> hasher, FirstFactorCompletion completion, ILoginRequestContextReader requests, ILogger<PasswordModel> log,
    IOptionsMonitor<LoginOptions> options, PasswordRegistration registration) : PageModel
{
    /// <summary>The method switched off in the portal is gone, not just hidden from the chooser.</summary>
    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        if (!options.CurrentValue.PasswordEnabled) context.Result = NotFound();
    }

    private static readonly IdpUser Nobody = new() { Id = "nobody" };
    private static readonly string DummyHash = new PasswordHasher<IdpUser>().HashPassword(Nobody, "not-a-real-password");

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty, Required, EmailAddress, StringLength(256)] public string Email { get; set; } = "";
    [BindProperty, Required, StringLength(1024)] public string Password { get; set; } = "";
    public string? ClientName { get; private set; }
    public bool Failed { get; private set; }
    /// <summary>Show "Create an account" (Login:PasswordRegistration).</summary>
    public bool RegistrationOpen => registration.Open;

    public async Task OnGetAsync()
    {
        var context = ReturnUrl is null ? null : await requests.ReadAsync(ReturnUrl, HttpContext.RequestAborted);
        ClientName = context?.ClientName;
        if (context?.LoginHint is { } hint && hint.Contains('@')) Email = hint;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Fail();
        var user = await users.FindByEmailAsync(Email);
        if (user is null || user.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(Nobody, DummyHash, Password);
            log.LogInformation("Password login failed: no such account");
            return Fail();
        }
        if (await users.IsLockedOutAsync(user) || !await users.CheckPasswordAsync(user, Password))
        {
            if (!await users.IsLockedOutAsync(user)) await users.AccessFailedAsync(user);
            log.LogInformation("Password login failed for user {UserId}", user.Id);
            return Fail();
        }
        await users.ResetAccessFailedCountAsync(user);
        var done = await completion.CompleteAsync(HttpContext, user.Id, [AuthenticationLevels.AmrPassword], ReturnUrl ?? "/", null, HttpContext.RequestAborted);
        log.LogInformation("Password login for user {UserId}{Next}", user.Id, done.Session is null ? " (second factor next)" : "");
        // Second factor or enrolment next: a redirect to our own page, which form-action 'self' allows.
        if (done.RedirectUrl is { } next) return LocalRedirect(next);
        // Never a redirect after the credential POST: browsers hold the whole redirect chain (authorize -> the client's
        // callback) to the page's CSP form-action. A 200 page moves on by itself, only to a local URL.
        ContinueUrl = LoginContinuation.Start(Response, ReturnUrl);
        return Page();
    }

    /// <summary>Set after a successful login: the local URL the page moves on to.</summary>
    public string? ContinueUrl { get; private set; }

    private PageResult Fail()
    {
        Failed = true;
        Password = "";
        return Page();
    }
}
