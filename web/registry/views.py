from django.shortcuts import get_object_or_404, redirect, render

from accounts.access import requires

from .forms import MissingPersonForm
from .models import MissingPerson


@requires("registry.view")
def person_list(request):
    persons = MissingPerson.objects.all()
    query = request.GET.get("q", "").strip()
    if query:
        persons = persons.filter(name_ar__icontains=query) | persons.filter(name_latin__icontains=query) \
            | persons.filter(case_number__iexact=query)
    return render(request, "registry/person_list.html", {"persons": persons, "q": query})


@requires("registry.view")
def person_detail(request, case_number):
    person = get_object_or_404(MissingPerson, case_number=case_number)
    return render(request, "registry/person_detail.html", {
        "person": person, "relatives": person.relatives.prefetch_related("consents", "samples"),
        "disappearances": person.disappearances.all(), "reports": person.reports.all()})


@requires("registry.edit")
def person_create(request):
    form = MissingPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.created_by = request.user
        person.save()
        return redirect("registry:person_detail", case_number=person.case_number)
    return render(request, "registry/person_form.html", {"form": form})
