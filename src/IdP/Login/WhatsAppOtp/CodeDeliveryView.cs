namespace WaIdentity.IdP.Login.WhatsAppOtp;

/// <summary>
/// What the shared code-delivery controls (<c>Pages/Shared/_CodeDelivery</c>) need: the page whose Resend, Sms and
/// Status handlers they call, the resend wait and whether "send by SMS instead" is offered. The login code page and
/// the phone change page use them alike.
/// </summary>
internal sealed record CodeDeliveryView(string Page, int ResendInSeconds, bool SmsOffered);
