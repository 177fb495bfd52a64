(function(){
var d=document.documentElement;d.classList.add('js');
var s=Array.prototype.slice.call(document.querySelectorAll('.slide'));var i=0;
function show(n){i=Math.max(0,Math.min(s.length-1,n));for(var k=0;k<s.length;k++){s[k].classList.toggle('on',k===i);}
try{history.replaceState(null,'','#'+s[i].id);}catch(e){}}
var h=location.hash.slice(1),start=0;for(var k=0;k<s.length;k++){if(s[k].id===h){start=k;}}show(start);
document.addEventListener('keydown',function(e){if(e.altKey||e.ctrlKey||e.metaKey){return;}
var key=e.key;
if(key==='ArrowRight'||key==='PageDown'||key==='ArrowDown'||(key===' '&&!e.shiftKey)||key==='Enter'){show(i+1);e.preventDefault();}
else if(key==='ArrowLeft'||key==='PageUp'||key==='ArrowUp'||(key===' '&&e.shiftKey)||key==='Backspace'){show(i-1);e.preventDefault();}
else if(key==='Home'){show(0);e.preventDefault();}
else if(key==='End'){show(s.length-1);e.preventDefault();}
__NAMES__
});
})();
