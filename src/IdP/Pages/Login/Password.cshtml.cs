using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.Password;
using WaIdentity.IdP.Login.SecondFactor;
using WaIdentity.IdP.Oidc.Interaction;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;

namespace WaIdentity.IdP.Pages.Login;

/// <summary>
/// Email + password login through <see cref="PasswordCheck"/>: unknown email, wrong password and a locked account get
/// the same message and cost the same. Too many failures answer 429 with Retry-After and say how long to wait.
/// </summary>
internal sealed class PasswordModel(PasswordCheck passwords, FirstFactorCompletion completion, ILoginRequestContextReader requests, ILogger<PasswordModel> log,
    IOptionsMonitor<LoginOptions> options, PasswordRegistration registration, IStringLocalizer<SharedResource> t) : PageModel
{
    /// <summary>The method switched off in the portal is gone, not just hidden from the chooser.</summary>
    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        if (!options.CurrentValue.PasswordEnabled) context.Result = NotFound();
    }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty, Required, EmailAddress, StringLength(256)] public string Email { get; set; } = "";
    [BindProperty, Required, StringLength(1024)] public string Password { get; set; } = "";
    public string? ClientName { get; private set; }
    /// <summary>Why the last try did not sign in, in the reader's language.</summary>
    public string? Error { get; private set; }
    /// <summary>Show "Create an account" (Login:PasswordRegistration).</summary>
    public bool RegistrationOpen => registration.Open;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var context = ReturnUrl is null ? null : await requests.ReadAsync(ReturnUrl, ct);
        ClientName = context?.ClientName;
        if (context?.EmailHint is { } hint) Email = hint;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Fail(t["Password_PasswordFailed"]);
        var check = await passwords.CheckAsync(Email, Password, ClientIp.Of(HttpContext), ct);
        if (check.Outcome == PasswordCheckOutcome.Throttled)
        {
            LimitRefusal.Mark(Response, check.RetryAfter);
            return Fail(LoginMessages.Describe(t, "Password_TooManyTries", check.RetryAfter));
        }
        if (check.User is not { } user) return Fail(t["Password_PasswordFailed"]);
        var done = await completion.CompleteAsync(HttpContext, user.Id, [AuthenticationLevels.AmrPassword], ReturnUrl ?? "/", null, ct);
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

    private PageResult Fail(string error)
    {
        Error = error;
        Password = "";
        return Page();
    }
}
