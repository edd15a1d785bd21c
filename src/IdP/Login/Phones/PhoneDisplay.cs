using PhoneNumbers;

namespace WaIdentity.IdP.Login.Phones;

/// <summary>A stored E.164 number written for people: "+62 812-3456-7890".</summary>
internal static class PhoneDisplay
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Numbers stored by older rules that the library cannot read are shown as stored.</summary>
    public static string International(string e164)
    {
        try
        {
            return Util.Format(Util.Parse(e164, null), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return e164;
        }
    }
}
