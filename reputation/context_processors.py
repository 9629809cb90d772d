from django.conf import settings


def site(request):
    # "product_name", not "site_name": Django's auth views put the request's host in
    # their own "site_name", which would win on the login page.
    return {"product_name": settings.SITE_NAME, "demo_mode": settings.DEMO_MODE}
