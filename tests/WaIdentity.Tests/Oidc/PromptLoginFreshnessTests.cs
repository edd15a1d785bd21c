using WaIdentity.IdP.Oidc.Authorize;
using WaIdentity.IdP.Sessions;
using Xunit;

namespace WaIdentity.Tests.Oidc;

/// <summary>
/// prompt=login is satisfied only by a login after the request asked for it. A session authenticated earlier in the
/// same second must not count (the cookie once carried whole seconds, and a quick app re-asking for login got the old
/// session back).
/// </summary>
public sealed class PromptLoginFreshnessTests
{
    private static readonly DateTimeOffset Asked = new(2026, 12, 6, 10, 0, 0, 600, TimeSpan.Zero);

    private static System.Security.Claims.ClaimsPrincipal SessionAt(DateTimeOffset authTime) =>
        SessionSignIn.ToPrincipal(new UserSession { Id = "s1", UserId = "u1", Amr = "pwd", Acr = "urn:waidentity:loa:1", AuthTime = authTime });

    [Fact]
    public void A_login_earlier_in_the_same_second_does_not_answer_prompt_login() =>
        Assert.False(AuthenticationRequirement.IsFresh(SessionAt(Asked.AddMilliseconds(-500)), Asked));

    [Fact]
    public void A_login_after_the_request_answers_it_even_within_the_same_second() =>
        Assert.True(AuthenticationRequirement.IsFresh(SessionAt(Asked.AddMilliseconds(200)), Asked));

    [Fact]
    public void The_session_keeps_its_authentication_time_to_the_millisecond() =>
        Assert.Equal(Asked, AuthenticationRequirement.AuthTime(SessionAt(Asked)));
}
