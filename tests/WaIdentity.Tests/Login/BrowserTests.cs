namespace WaIdentity.Tests.Login;

/// <summary>
/// The base of every browser test class: when each test ends, the browser contexts it used go back to
/// <see cref="LoginBrowser"/>'s pool, cleaned, for the next test (see there for why).
/// </summary>
public abstract class BrowserTests(LoginBrowser browser) : IClassFixture<LoginBrowser>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => browser.EndTestAsync();
}
