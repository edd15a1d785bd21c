using Microsoft.Playwright;
using WaIdentity.IdP.Persistence;
using WaIdentity.Tests.Channel;
using WaIdentity.Tests.Infrastructure;
using WaIdentity.Tests.Mfa;
using static Microsoft.Playwright.Assertions;

namespace WaIdentity.Tests.Login;

/// <summary>
/// The country picker in front of every phone field (login, account phone): labelled, keyboard-usable, starting at
/// the configured country, following a typed "+code", in both languages. Screenshots go to screenshots/ beside the
/// test assembly.
/// </summary>
public sealed class CountryPickerBrowserTests(LoginBrowser browser) : BrowserTests(browser)
{
    private static readonly string Shots = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static TheoryData<string, int, int> Views => new()
    {
        { "en-US", 1280, 800 }, { "en-US", 390, 844 }, { "id-ID", 1280, 800 }, { "id-ID", 390, 844 },
    };

    [Fact]
    public async Task A_national_number_is_read_in_the_country_picked_with_the_keyboard()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(
            ("Login:DefaultCountryCode", "62"), ("Channel:Limits:AllowedCountryCodes:0", "62"), ("Channel:Limits:AllowedCountryCodes:1", "44")));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());

        var country = page.GetByLabel("Country", new() { Exact = true });
        await Expect(country).ToHaveValueAsync("ID");
        await Expect(page.Locator("#phone")).ToHaveAttributeAsync("placeholder", "0812-345-678");
        // Keyboard only: focus the list and type the country's name, as a person does with a native select.
        await country.FocusAsync();
        await page.Keyboard.TypeAsync("United Kingdom");
        await Expect(country).ToHaveValueAsync("GB");
        await ExpectFlagAsync(page, "gb");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("07400 123456");
        await page.Keyboard.PressAsync("Enter");

        await page.ArrivedAsync(u => new Uri(u).AbsolutePath.Equals("/login/code", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await ChannelTestKit.MessagesToAsync(server, "+447400123456"));
    }

    [Fact]
    public async Task Typing_a_country_code_selects_its_country()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var server = await IdpTestServer.StartAsync(db, ChannelTestKit.Settings(("Login:DefaultCountryCode", "44")));
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseAddress, "/login").ToString());
        var country = page.Locator("#country");
        await Expect(country).ToHaveValueAsync("GB"); // the configured default country
        await ExpectFlagAsync(page, "gb");

        await page.Locator("#phone").PressSequentiallyAsync("+62 812");
        await Expect(country).ToHaveValueAsync("ID");
        await ExpectFlagAsync(page, "id");
        await page.Locator("#phone").FillAsync("");
        await page.Locator("#phone").PressSequentiallyAsync("+1 415");
        await Expect(country).ToHaveValueAsync("US"); // +1 is shared: its main country
    }

    /// <summary>The chosen country's flag is beside the list, and the picture really loaded (not a broken image).</summary>
    private static async Task ExpectFlagAsync(IPage page, string region)
    {
        var flag = page.Locator("#country-flag");
        await Expect(flag).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex($"/flags/{region}\\.svg$"));
        await Expect(flag).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const f = document.getElementById('country-flag'); return f.complete && f.naturalWidth > 0; }");
    }

    [Theory, MemberData(nameof(Views))]
    public async Task The_picker_reads_well_in_both_languages_on_desktop_and_phone(string locale, int width, int height)
    {
        await using var kit = await MfaKit.StartAsync();
        var context = await browser.NewContextAsync(new() { Locale = locale, ViewportSize = new() { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        var view = $"{locale[..2]}-{width}";
        Directory.CreateDirectory(Shots);

        await page.GotoAsync(kit.Url("/login"));
        var indonesian = locale.StartsWith("id");
        await Expect(page.GetByLabel(indonesian ? "Negara" : "Country", new() { Exact = true })).ToHaveValueAsync("ID");
        // Names in the page's language, from the browser: the United Kingdom is "Inggris Raya" in Indonesian.
        var uk = await page.Locator("#country option[value=GB]").InnerTextAsync();
        Assert.Equal(indonesian ? "Inggris Raya (+44)" : "United Kingdom (+44)", uk);
        await page.Locator("#phone").FillAsync("0800 0000 0000");
        await page.Locator("#send-code").ClickAsync();
        await Expect(page.Locator("#phone-error")).ToHaveTextAsync(indonesian
            ? "Nomor ini tidak valid di negara yang dipilih. Periksa angka dan negaranya, misalnya 0812-345-678."
            : "This is not a valid number in the chosen country. Check the digits and the country, for example 0812-345-678.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"{view}-login-country.png"), FullPage = true });
        await PageChecks.AssertAccessibleAsync(page);

        await page.GotoAsync(kit.Url("/login?returnUrl=%2Faccount%2Fphone"));
        await MfaKit.PasswordAsync(page);
        await MfaKit.ArrivedAtAsync(page, "/account/phone");
        await Expect(page.Locator("#country")).ToHaveValueAsync("ID");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, $"{view}-account-phone-country.png"), FullPage = true });
        await PageChecks.AssertAccessibleAsync(page);
    }
}
