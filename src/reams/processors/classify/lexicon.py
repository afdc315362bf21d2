"""Common document-kind words of French, German, Spanish and Dutch (and a few of Italian,
Portuguese and Polish) mapped to their English equivalents.

The bundled embedding model and the rules people write are mostly English, so a French
``Facture`` or a Dutch ``Factuurnummer`` would otherwise share no word with a rule called
``invoice``. :func:`english` maps a folded (lowercase, accent-free) word to the English words it
stands for; :mod:`.lexical` applies it to rules and documents alike, so a rule written in French
meets an English document the same way. Only words that are not also common English words are
listed (``brief``, ``accord``, ``bon`` are left out), plus the first and last parts of German and
Dutch compounds (``Rechnungsnummer``, ``factuurdatum``, ``Dienstleistungsvertrag``).
"""

from __future__ import annotations

from functools import lru_cache

# folded foreign word -> English word(s), space-separated
_WORDS_TEXT = """
facture=invoice factures=invoices factura=invoice facturas=invoices factuur=invoice
facturen=invoices fattura=invoice fatture=invoices faktura=invoice fatura=invoice
rechnung=invoice rechnungen=invoices
quittung=receipt kassenbon=receipt kassenzettel=receipt beleg=receipt recu=receipt
recibo=receipt ricevuta=receipt kassabon=receipt kwitantie=receipt bonnetje=receipt

devis=quote presupuesto=quote angebot=quote offerte=quote
commande=order bestellung=order pedido=order bestelling=order ordine=order
contrat=contract contrats=contracts contrato=contract contratos=contracts vertrag=contract
vertrage=contracts contratto=contract overeenkomst=agreement vereinbarung=agreement
convenio=agreement acuerdo=agreement accordo=agreement umowa=contract
courriel=email correo=email mensaje=message nachricht=message
objet=subject betreff=subject asunto=subject onderwerp=subject oggetto=subject
expediteur=sender absender=sender remitente=sender afzender=sender mittente=sender
destinataire=recipient empfanger=recipient destinatario=recipient ontvanger=recipient
rapport=report rapports=reports informe=report informes=reports verslag=report
jahresbericht=annual_report relazione=report sprawozdanie=report
handbuch=handbook manuel=manual handleiding=manual manuale=manual anleitung=guide guia=guide
formulaire=form formular=form formulario=form formulier=form
prasentation=presentation presentacion=presentation
presentatie=presentation presentazione=presentation diapositive=slide diapositives=slides
diapositiva=slide diapositivas=slides folie=slide folien=slides
tableur=spreadsheet tabellenkalkulation=spreadsheet rekenblad=spreadsheet
 feuille=sheet tabelle=table tableau=table tabla=table tabel=table
webseite=webpage
lettre=letter carta=letter
vitae=cv_resume lebenslauf=cv_resume curriculo=cv_resume
resumen=abstract zusammenfassung=abstract samenvatting=abstract riassunto=abstract
einleitung=introduction introduccion=introduction inleiding=introduction introduzione=introduction
methoden=methods methodes=methods metodos=methods metodi=methods
ergebnisse=results resultats=results resultados=results resultaten=results risultati=results
schlussfolgerung=conclusion conclusiones=conclusions conclusie=conclusion conclusioni=conclusions
literaturverzeichnis=references bibliographie=references bibliografia=references
referencias=references referenties=references
montant=amount betrag=amount importe=amount bedrag=amount importo=amount
gesamtbetrag=total_amount summe=total totaal=total totale=total
prix=price preis=price precio=price prijs=price prezzo=price
tva=vat mwst=vat ust=vat iva=vat btw=vat steuer=tax impuesto=tax belasting=tax impots=tax
paiement=payment zahlung=payment pago=payment betaling=payment pagamento=payment
echeance=due_date faellig=due fallig=due vencimiento=due_date vervaldatum=due_date scadenza=due_date
datum=date fecha=date
cliente=customer kunde=customer klant=customer
fournisseur=supplier lieferant=supplier proveedor=supplier leverancier=supplier fornitore=supplier
quantite=quantity menge=quantity anzahl=quantity cantidad=quantity hoeveelheid=quantity
quantita=quantity
unterschrift=signature firma=signature handtekening=signature signe=signed
unterzeichnet=signed firmado=signed ondertekend=signed
partes=parties parteien=parties partijen=parties
"""

_PREFIXES_TEXT = """
rechnung=invoice factuur=invoice faktur=invoice factur=invoice fattur=invoice
quittung=receipt vertrag=contract bestell=order
"""
# Compound heads: German and Dutch put the kind last (``Dienstleistungsvertrag``,
# ``arbeidsovereenkomst``, ``Schlussrechnung``, ``Antragsformular``).
_SUFFIXES_TEXT = """
vertrag=contract vertrages=contract vereinbarung=agreement overeenkomst=agreement
rechnung=invoice factuur=invoice handbuch=handbook formular=form formulier=form
"""
MIN_PREFIX_WORD = 9  # compounds only: ``factura`` itself is in the word list


def _pairs(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for entry in text.split():
        foreign, english_words = entry.split("=")
        out[foreign] = tuple(english_words.split("_"))
    return out


WORDS = _pairs(_WORDS_TEXT)
PREFIXES = _pairs(_PREFIXES_TEXT)
SUFFIXES = _pairs(_SUFFIXES_TEXT)


@lru_cache(maxsize=100_000)
def english(word: str) -> tuple[str, ...] | None:
    """The English word(s) a folded foreign word stands for, or None (not a listed word)."""
    found = WORDS.get(word)
    if found is not None:
        return found
    if len(word) >= MIN_PREFIX_WORD:
        for prefix, meaning in PREFIXES.items():
            if word.startswith(prefix):
                return meaning
        for suffix, meaning in SUFFIXES.items():
            if word.endswith(suffix):
                return meaning
    return None
