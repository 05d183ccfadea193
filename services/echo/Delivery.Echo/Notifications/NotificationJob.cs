namespace Delivery.Echo.Notifications;

/// <summary>One notification on its way.</summary>
public sealed record NotificationJob(NotificationEvent Event, NotificationTarget Target);
