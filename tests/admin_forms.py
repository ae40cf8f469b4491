"""Post an admin change form as a browser would: its current values, with some changed."""

from governance.models.partial_date import PartialDate


def _value(bound_field):
    value = bound_field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, PartialDate):
        return value.isoformat()
    return value


def admin_form_data(response, **changes) -> dict:
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit_in_admin(client, url: str, **changes):
    response = client.get(url)
    assert response.status_code == 200
    return client.post(url, admin_form_data(response, **changes))


def opened_version(client, url: str) -> str:
    """The version of the record a change form carries when opened now (as a browser would
    post it back: see records/concurrency.py)."""
    return client.get(url).context["adminform"].form["record_version"].value()
