using Delivery.Clouddriver;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddClouddriver();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapClouddriver();
app.Run();
