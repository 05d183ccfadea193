namespace Delivery.Clouddriver.Stages.Support;

/// <summary>Bad stage input or an inventory that rules the stage out; the engine fails the stage (TERMINAL) with the message.</summary>
internal sealed class StageInputException(string message) : Exception(message);
