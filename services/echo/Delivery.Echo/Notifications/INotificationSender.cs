namespace Delivery.Echo.Notifications;

/// <summary>Sends one kind of notification (<c>slack</c>, <c>email</c>, <c>webhook</c>); throws when the attempt failed.</summary>
public interface INotificationSender
{
    string Type { get; }

    Task SendAsync(NotificationJob job, CancellationToken cancellationToken);
}
