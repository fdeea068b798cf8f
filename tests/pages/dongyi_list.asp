<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>北方城市职业学院--通知公告</title>
<meta name="keywords" content="动易,PowerEasy,北方城市职业学院">
<link href="/Skin/DefaultSkin.css" rel="stylesheet" type="text/css">
</head>
<body leftmargin="0" topmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="top_table">
<tr><td><img src="/Skin/blue/top.jpg" width="980" height="120"></td></tr>
<tr><td class="menu_bg"><a class="Channel" href="/">网站首页</a> | <a class="Channel" href="/Article/ShowClass.asp?ClassID=1">学院概况</a> | <a class="Channel" href="/Article/ShowClass.asp?ClassID=5">通知公告</a> | <a class="Channel" href="/Article/ShowClass.asp?ClassID=6">学院新闻</a> | <a class="Channel" href="/Article/ShowClass.asp?ClassID=9">招生就业</a></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="220" valign="top" class="left_bg">
  <table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td class="left_title">栏目导航</td></tr>
  <tr><td class="left_tdbg1"><a href="/Article/ShowClass.asp?ClassID=5">通知公告</a><br><a href="/Article/ShowClass.asp?ClassID=6">学院新闻</a><br><a href="/Article/ShowClass.asp?ClassID=7">教务信息</a></td></tr></table>
</td>
<td width="760" valign="top">
  <table width="100%" border="0" cellpadding="0" cellspacing="0" class="main_title_table">
  <tr><td class="main_title_760">&nbsp;<img src="/Skin/blue/arrow3.gif">&nbsp;您现在的位置：&nbsp;<a class="LinkPath" href="/">北方城市职业学院</a>&nbsp;&gt;&gt;&nbsp;<a class="LinkPath" href="/Article/ShowClass.asp?ClassID=5">通知公告</a></td></tr>
  </table>
  <table width="100%" border="0" cellpadding="0" cellspacing="5" class="main_tdbg_760">
  <tr><td class="listbg" width="12"><img src="/Skin/blue/arrow.gif"></td><td class="listbg"><a class="listA" href="/Article/ShowArticle.asp?ArticleID=1235" title="文章标题：关于做好2026年暑期校园安全工作的通知&#13;&#10;作    者：党政办&#13;&#10;更新时间：2026-7-16 9:12:05&#13;&#10;点击次数：83" target="_blank">关于做好2026年暑期校园安全工作...</a></td><td class="listbg2" width="90" align="right">2026-7-16</td></tr><tr><td class="listbg" width="12"><img src="/Skin/blue/arrow.gif"></td><td class="listbg"><a class="listA" href="/Article/ShowArticle.asp?ArticleID=1231" title="文章标题：关于2026年国庆节放假安排的预通知及相关事项说明&#13;&#10;作    者：党政办&#13;&#10;更新时间：2026-7-9 16:40:11&#13;&#10;点击次数：79" target="_blank">关于2026年国庆节放假安排的预通知及相...</a></td><td class="listbg2" width="90" align="right">2026-7-9</td></tr><tr><td class="listbg" width="12"><img src="/Skin/blue/arrow.gif"></td><td class="listbg"><a class="listA" href="/Article/ShowArticle.asp?ArticleID=1226" title="文章标题：图书馆2026年暑假开放时间安排&#13;&#10;作    者：党政办&#13;&#10;更新时间：2026-7-3 10:02:45&#13;&#10;点击次数：74" target="_blank">图书馆2026年暑假开放时间安排</a></td><td class="listbg2" width="90" align="right">2026-7-3</td></tr><tr><td class="listbg" width="12"><img src="/Skin/blue/arrow.gif"></td><td class="listbg"><a class="listA" href="/Article/ShowArticle.asp?ArticleID=1220" title="文章标题：关于开展2026年度教职工体检工作的通知&#13;&#10;作    者：党政办&#13;&#10;更新时间：2026-6-24 8:30:00&#13;&#10;点击次数：68" target="_blank">关于开展2026年度教职工体检工作的通知</a></td><td class="listbg2" width="90" align="right">2026-6-24</td></tr><tr><td class="listbg" width="12"><img src="/Skin/blue/arrow.gif"></td><td class="listbg"><a class="listA" href="/Article/ShowArticle.asp?ArticleID=1214" title="文章标题：关于举办2026年校园网络安全宣传周活动的通知&#13;&#10;作    者：党政办&#13;&#10;更新时间：2026-6-15 14:21:09&#13;&#10;点击次数：62" target="_blank">关于举办2026年校园网络安全宣传周活动的通知</a></td><td class="listbg2" width="90" align="right">2026-6-15</td></tr>
  </table>
  <div class="showpage">共 <b>58</b> 篇文章&nbsp;&nbsp;首页 上一页&nbsp;<a href="/Article/ShowClass.asp?ClassID=5&page=2">下一页</a>&nbsp;<a href="/Article/ShowClass.asp?ClassID=5&page=12">尾页</a>&nbsp;页次：<strong><font color="red">1</font>/12</strong>页&nbsp;<b>5</b>篇文章/页</div>
</td>
</tr>
</table>
<table width="980" border="0" align="center" class="bottom_table"><tr><td align="center">版权所有 北方城市职业学院 技术支持：动易网络</td></tr></table>
</body>
</html>
