namespace Delivery.Echo.Notifications;

/// <summary>A delivery the receiver refused for good (an unknown channel, a 4xx): not worth retrying.</summary>
public sealed class NotificationRejectedException(string message) : Exception(message);
